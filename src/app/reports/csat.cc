#include "app/reports/csat.h"

#include <boost/json.hpp>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/people/people_secrets.h"
#include "app/people/portal.h"

namespace sb::app {

Result<std::string> NewCsatLink(domain::Tx& tx, const domain::Request& request, Timestamp now,
                                const std::string& portal_url) {
  if (portal_url.empty()) return std::string();
  std::string token = NewTenantToken(request.tenant_id);
  domain::CsatAnswer a;
  a.tenant_id = request.tenant_id;
  a.request_id = request.id;
  a.account_id = request.account_id;
  a.token_hash = TokenHash(token);
  a.created_at = now;
  a.expires_at = now + domain::kCsatLinkLifetime;
  Status s = tx.InsertCsat(a);
  if (s.code() == Code::kConflict) return std::string();
  SB_RETURN_IF_ERROR(s);
  return portal_url + "#csat=" + token;
}

Status CsatAnswers::Answer(const CsatInput& in, const std::string& correlation_id) const {
  if (in.score < 1 || in.score > 5) {
    return Status::Invalid("score", "score must be between 1 and 5", "out_of_range");
  }
  if (in.comment.size() > domain::kMaxCsatComment) {
    return Status::Invalid("comment", "comment must be at most 2000 bytes", "too_long");
  }
  std::optional<std::string> tenant = TokenTenant(in.token);
  if (!tenant) return Status::Unauthenticated("this link is not valid");
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    auto link = tx.GetCsatByToken(*tenant, TokenHash(in.token));
    if (link.status().code() == Code::kNotFound) {
      return Status::Unauthenticated("this link is not valid");
    }
    SB_RETURN_IF_ERROR(link.status());
    if (link->answered_at) {
      return Status::Conflict("already_answered", "this request was already rated");
    }
    if (now >= link->expires_at) {
      return Status::Unprocessable("link_expired", "this link has expired", "token");
    }
    domain::CsatAnswer a = *link;
    a.score = in.score;
    a.answered_at = now;
    if (!in.comment.empty()) {
      SB_ASSIGN_OR_RETURN(a.comment_sealed,
                          deps_.keyring.SealFor(tx, a.tenant_id, a.account_id, in.comment));
    }
    SB_RETURN_IF_ERROR(tx.AnswerCsat(a));
    CallContext ctx = CustomerContext(a.tenant_id, a.account_id, correlation_id);
    ChangeRecorder rec(tx, ctx, now);
    return rec.Audit(domain::AuditCategory::kCustomerData, "request.csat_recorded", "request",
                     a.request_id, a.account_id, a.request_id, {},
                     {{"score", in.score}, {"has_comment", !in.comment.empty()}});
  });
}

}  // namespace sb::app
