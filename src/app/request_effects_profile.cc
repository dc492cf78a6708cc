#include "app/request_effects.h"

namespace sb::app::effects {

Result<boost::json::object> PrepareProfile(domain::Tx&, const Deps&, const CallContext&,
                                           const AccountState&, const PrepareArgs&) {
  return Status::Unprocessable("not_supported", "this request type is not available yet", "type");
}

Result<boost::json::object> ApplyProfile(domain::Tx&, const Deps&, ChangeRecorder&, AccountState&,
                                         const domain::Request&, const domain::RequestPolicy&) {
  return Status::Unprocessable("not_supported", "this request type is not available yet", "type");
}

}  // namespace sb::app::effects
