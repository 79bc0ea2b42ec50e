/* Certificates, format polarcert-cert/1 (certs/FORMAT.md): the exact
 * problem, the method, per step the hints a checker needs to redo it (exact
 * dyadic times, the a priori enclosure, the field's form, the Jacobian
 * order), the lemma uses, the claims, and a SHA-256 content hash.
 * Numbers are exact strings: rationals "p/q", dyadics "M*2^E". */
#ifndef PC_CERT_H
#define PC_CERT_H

#include <jansson.h>
#include "pc_claims.h"

#define PC_CERT_FORMAT "polarcert-cert/1"

/* The certificate of the completed run E (real-time horizon T, exact) with
 * the claims C, sealed with its hash; NULL if out of memory. */
json_t *pc_cert_build(pc_enclose_t E, const pc_claims_t C, const arf_t T);

/* The lowercase hex SHA-256 of the canonical text of cert without its
 * member "sha256": json_dumps(JSON_COMPACT | JSON_SORT_KEYS). Returns PC_OK,
 * or PC_ERR_INPUT if cert cannot be serialised. */
int pc_cert_hash(char hex[65], const json_t *cert);

/* Sets cert's "sha256" to its hash: PC_OK or PC_ERR_INPUT. */
int pc_cert_seal(json_t *cert);

/* The exact dyadic x as "M*2^E" (or "M"); the caller frees with flint_free. */
char *pc_cert_dyadic_str(const arf_t x);

#endif
