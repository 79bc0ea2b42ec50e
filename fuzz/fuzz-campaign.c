/* libFuzzer target: the theorem reader (lib/pc_theorem.c) and the campaign
 * reader (lib/pc_campaign.c, which calls the theorem reader for inline,
 * preset and refute theorems) on arbitrary text. For an accepted campaign:
 * the text it keeps must load again to the same campaign (the store rebuilds
 * it from that text alone), and its first instance, written as a problem
 * file, must be accepted by the problem loader. Built and run by
 * fuzz/run.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pc_theorem.h"
#include "pc_search.h"

static void theorem(const char *text)
{
    pc_theorem_t th;
    pc_error_t err;
    pc_theorem_init(th);
    err->msg[0] = '\0';
    if (pc_theorem_load_string(th, text, "fuzz", err) == PC_OK) {
        if (th->name == NULL || th->nconcl < 1 || th->losses == 0)
            abort();                    /* the reader's promises */
    } else if (err->msg[0] == '\0')
        abort();                        /* a refusal always says why */
    pc_theorem_clear(th);
}

/* Instance 0 of an accepted campaign, through the problem loader. */
static void first_instance(const pc_campaign_t c)
{
    pc_error_t err;
    char *json = NULL;
    err->msg[0] = '\0';
    if (pc_search_instance_json(&json, c, 0, err) != PC_OK)
        abort();                        /* instance 0 exists (instances >= 1) */
    pc_problem_t p;
    pc_problem_init(p);
    if (pc_problem_load_string(p, json, "instance 0", err) != PC_OK)
        abort();                        /* the generator writes only valid problems */
    pc_problem_clear(p);
    free(json);
}

static void campaign(const char *text)
{
    pc_campaign_t c;
    pc_error_t err;
    pc_campaign_init(c);
    err->msg[0] = '\0';
    if (pc_campaign_load_string(c, text, "fuzz", err) == PC_OK) {
        if (c->name == NULL || c->text == NULL || strlen(c->sha256) != 64 || c->instances < 1)
            abort();
        pc_campaign_t again;
        pc_campaign_init(again);
        if (pc_campaign_load_string(again, c->text, "stored", err) != PC_OK ||
            strcmp(again->sha256, c->sha256) != 0 || again->instances != c->instances)
            abort();                    /* the kept text is the campaign */
        pc_campaign_clear(again);
        first_instance(c);
    } else if (err->msg[0] == '\0' || c->impl != NULL || c->text != NULL || c->name != NULL)
        abort();                        /* a refusal says why and keeps nothing */
    pc_campaign_clear(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *) data, size);     /* the readers take C strings */
    if (text == NULL)
        return 0;
    theorem(text);
    campaign(text);
    free(text);
    return 0;
}
