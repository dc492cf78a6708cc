// Data rights: downloading a subject access export.

#include "http/handlers/rights.h"

#include "app/rights/data_export.h"
#include "http/problem.h"

namespace sb::http::handlers::rights {

Response DataExport(Exchange& ex) {
  if (ex.api().data_rights == nullptr) {
    return ProblemResponse(Status::Unavailable("data rights are not wired in this server"));
  }
  Result<std::string> text = ex.api().data_rights->DownloadExport(ex.ctx(), ex.Param("id"));
  if (!text.ok()) return ProblemResponse(text.status());
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "application/json");
  // The whole record of one customer: no cache keeps a copy.
  r.SetHeader("Cache-Control", "no-store");
  r.body = std::move(*text);
  return r;
}

}  // namespace sb::http::handlers::rights
