/* polarcert: rigorous verification of softmax gradient-flow dynamics.
 * The public interface; each module's header documents its guarantees. */
#ifndef POLARCERT_H
#define POLARCERT_H

#define PC_VERSION "0.2.0"

#include "pc_arb.h"
#include "pc_status.h"
#include "pc_memory.h"
#include "pc_problem.h"
#include "pc_model.h"
#include "pc_reduced.h"
#include "pc_preview.h"
#include "pc_tape.h"
#include "pc_taylor.h"
#include "pc_system.h"
#include "pc_lohner.h"
#include "pc_flow.h"
#include "pc_enclose.h"
#include "pc_claims.h"
#include "pc_cert.h"
#include "pc_certify.h"
#include "pc_hypo.h"
#include "pc_conclude.h"
#include "pc_theorem.h"
#include "pc_search.h"
#include "pc_npy.h"
#include "pc_import.h"
#include "pc_report.h"

#endif
