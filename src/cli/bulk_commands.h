#pragma once

// `switchboard bulk ...` subcommands as plain functions, over the bulk jobs' use cases
// (app/bulk/bulk_jobs.h) on the server's database, acting as the server's own console (the
// system actor with the admin role). The job itself runs in a serving process's job runner.
// Each returns the process exit code: 0 on success, 1 when refused (the reason on `err`).

#include <ostream>
#include <string>

#include "app/bulk/bulk_jobs.h"
#include "common/time.h"

namespace sb::cli {

struct BulkSubmitArgs {
  std::string tenant_id;
  std::string file;  // .csv, else JSON lines (.ndjson, .jsonl)
  bool dry_run = false;
  bool wait = false;
  // Draw a progress bar on `err` while waiting (stderr is a terminal).
  bool progress_bar = false;
};

// Validates and submits the file; prints the job id (or, for a dry run, the plan as JSON
// lines) on `out`; with `wait`, polls until the job ends and prints its final figures.
// Invalid rows are listed on `err`, one "row R column C: code" a line, and give 1.
int RunBulkSubmit(const app::BulkJobs& bulk, const Clock& clock, const BulkSubmitArgs& args,
                  std::ostream& out, std::ostream& err);

// Prints the job's figures as one JSON object.
int RunBulkStatus(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                  std::ostream& out, std::ostream& err);

// Pauses, resumes or cancels the job (`action`: "pause", "resume", "cancel") and prints it.
int RunBulkControl(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                   const std::string& action, std::ostream& out, std::ostream& err);

// Prints every row's outcome as CSV (as GET /v1/bulk-jobs/{id}/results does).
int RunBulkResults(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                   std::ostream& out, std::ostream& err);

}  // namespace sb::cli
