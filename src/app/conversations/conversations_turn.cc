// What one customer turn does (app/conversations/conversations.h): the pure decision of
// domain/assistant.h, then the steps that need the account, the one-time code or the request
// engine's dry run. Nothing here writes but the code's own use cases; Commit writes the turn.
#include <algorithm>

#include "app/conversations/conversation_replies.h"
#include "app/conversations/conversations.h"

namespace sb::app {

using domain::ConversationState;
using domain::Intent;

namespace {

const std::vector<Intent> kMainOptions = {Intent::kReconnect, Intent::kReactivate, Intent::kStatus,
                                          Intent::kHuman};
const std::vector<Intent> kConfirmOptions = {Intent::kYes, Intent::kNo, Intent::kHuman};

// Digits read back as a code are not kept, even sealed.
std::string MaskDigits(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }, '*');
  return text;
}

void AddOnce(std::vector<std::string>& says, std::string s) {
  if (std::find(says.begin(), says.end(), s) == says.end()) says.push_back(std::move(s));
}

// What the engine's checks found missing, in the customer's words.
std::vector<std::string> Blockers(const std::string& locale, const domain::Account& a,
                                  const std::vector<domain::CheckResult>& checks) {
  using K = domain::CheckKind;
  std::vector<std::string> says;
  for (const auto& c : checks) {
    if (c.passed) continue;
    switch (c.kind) {
      case K::kPaymentCleared:
        AddOnce(says, replies::AmountDue(locale, a.amount_due_minor, a.currency));
        break;
      case K::kTechnicalFaultResolved:
        AddOnce(says, replies::Say(locale, "fault_open"));
        break;
      case K::kNoFraudHold:
        AddOnce(says, replies::Say(locale, "under_review"));
        break;
      case K::kApproval:
        AddOnce(says, replies::Say(locale, "approval_needed"));
        break;
      default:  // identity, KYC, consent, data current, cooling off: a person's evidence
        AddOnce(says, replies::Say(locale, "verification_missing"));
    }
  }
  if (says.empty()) says.push_back(replies::Say(locale, "nothing_blocks"));
  return says;
}

// What the account's holds say, for a status question.
std::vector<std::string> HoldWords(const std::string& locale, const domain::Account& a,
                                   const std::vector<domain::Hold>& holds) {
  using H = domain::HoldType;
  std::vector<std::string> says;
  if (a.amount_due_minor > 0)
    says.push_back(replies::AmountDue(locale, a.amount_due_minor, a.currency));
  for (const auto& h : holds) {
    if (h.type == H::kNonPayment && a.amount_due_minor <= 0) {
      AddOnce(says, replies::Say(locale, "verification_missing"));
    } else if (h.type == H::kTechnicalFault) {
      AddOnce(says, replies::Say(locale, "fault_open"));
    } else if (h.type == H::kKycIncomplete || h.type == H::kDataOutdated) {
      AddOnce(says, replies::Say(locale, "verification_missing"));
    } else if (h.type == H::kFraudReview) {
      AddOnce(says, replies::Say(locale, "under_review"));
    }
  }
  return says;
}

}  // namespace

Result<Conversations::Plan> Conversations::Decide(const CallContext& ctx, const Loaded& l,
                                                  const std::string& text) const {
  const domain::Conversation& c = l.conversation;
  Plan plan;
  plan.next = c;
  plan.customer_text = c.state == ConversationState::kAwaitingCode ? MaskDigits(text) : text;
  domain::ConversationPosition at{c.state, c.unmatched, c.options};
  domain::TurnDecision d = domain::Decide(l.policy, at, c.locale, text);
  if (d.intent) plan.intent = std::string(domain::Name(*d.intent));
  plan.next.unmatched = 0;
  switch (d.step) {
    case domain::Step::kLookUpAccount:
      if (d.intent) plan.next.wanted = d.intent;
      SB_RETURN_IF_ERROR(LookUp(ctx, l, d, plan));
      break;
    case domain::Step::kNoted:
      plan.next.wanted = d.intent;
      plan.says.push_back(replies::Say(c.locale, "ask_account_again"));
      break;
    case domain::Step::kCheckCode:
      SB_RETURN_IF_ERROR(CheckCode(ctx, l, d.code, plan));
      break;
    case domain::Step::kAnswer:
      SB_RETURN_IF_ERROR(Answer(ctx, l, *d.intent, plan));
      break;
    case domain::Step::kFile:
      plan.write = Write::kFile;
      plan.next.state = ConversationState::kCompleted;
      plan.next.options.clear();
      if (c.offered_type == domain::RequestType::kReconnection) {
        SB_ASSIGN_OR_RETURN(plan.service_id, SuspendedService(ctx, c.account_id));
      }
      break;
    case domain::Step::kDecline:
      plan.next.state = ConversationState::kAwaitingIntent;
      plan.next.offered_type.reset();
      plan.next.options = kMainOptions;
      plan.says.push_back(replies::Say(c.locale, "declined"));
      break;
    case domain::Step::kNotUnderstood: {
      plan.next.unmatched = c.unmatched + 1;
      plan.says.push_back(replies::Say(c.locale, "not_understood"));
      const char* again = c.state == ConversationState::kAwaitingAccount        ? "ask_account"
                          : c.state == ConversationState::kAwaitingCode         ? "ask_code"
                          : c.state == ConversationState::kAwaitingConfirmation ? "ask_yes_no"
                                                                                : "ask_choice";
      plan.says.push_back(replies::Say(c.locale, again));
      break;
    }
    case domain::Step::kHandOver:
      HandOver(plan, d.why);
      break;
  }
  return plan;
}

Status Conversations::LookUp(const CallContext& ctx, const Loaded& l, const domain::TurnDecision& d,
                             Plan& plan) const {
  std::optional<domain::Account> account;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    for (const std::string& ref : d.account_refs) {
      auto a = tx.GetAccountByRef(ctx.tenant_id, ref);
      if (a.ok()) {
        account = std::move(a).value();
        return Status::Ok();
      }
      if (a.status().code() != Code::kNotFound) return a.status();
    }
    return Status::Ok();
  }));
  // The same answer whether the number is known or not, and whether a code could go: the
  // conversation tells no one which account numbers exist. A code that could not be sent is
  // answered as a wrong one until the customer is handed over.
  plan.next.state = ConversationState::kAwaitingCode;
  plan.next.options.clear();
  plan.next.claimed_account_id = account ? account->id : "";
  plan.next.code_channel.clear();
  plan.says.push_back(replies::Say(l.conversation.locale, "code_sent"));
  if (!account) return Status::Ok();
  CallContext inner = Inner(ctx, l.conversation, l.policy, false);
  for (const std::string& channel : l.policy.code_channels) {
    auto sent = codes_.Send(inner, account->id, channel, CodePurpose::kVerification);
    if (sent.ok()) {
      plan.next.code_channel = channel;
      break;
    }
    Code code = sent.status().code();
    if (code == Code::kInternal || code == Code::kUnavailable) return sent.status();
    if (code == Code::kRateLimited) break;
  }
  return Status::Ok();
}

Status Conversations::CheckCode(const CallContext& ctx, const Loaded& l, const std::string& code,
                                Plan& plan) const {
  const domain::Conversation& c = l.conversation;
  bool right = false;
  bool locked = false;
  if (!c.claimed_account_id.empty() && !c.code_channel.empty()) {
    auto checked = codes_.Check(Inner(ctx, c, l.policy, false), c.claimed_account_id,
                                c.code_channel, CodePurpose::kVerification, code);
    Code failed = checked.status().code();
    if (failed == Code::kInternal || failed == Code::kUnavailable) return checked.status();
    right = checked.ok();
    locked = failed == Code::kRateLimited;
  }
  if (!right) {
    plan.next.code_failures = c.code_failures + 1;
    if (locked || plan.next.code_failures >= l.policy.max_code_attempts) {
      HandOver(plan, domain::HandOverWhy::kWrongCodes);
    } else {
      plan.says.push_back(replies::Say(c.locale, "wrong_code"));
    }
    return Status::Ok();
  }
  plan.identified_now = true;
  plan.next.account_id = c.claimed_account_id;
  plan.next.state = ConversationState::kAwaitingIntent;
  plan.next.options = kMainOptions;
  plan.says.push_back(replies::Say(c.locale, "identified"));
  if (!c.wanted) return Status::Ok();
  plan.says.pop_back();
  return Answer(ctx, l, *c.wanted, plan);
}

Result<std::optional<std::string>> Conversations::SuspendedService(
    const CallContext& ctx, const std::string& account_id) const {
  std::optional<std::string> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto services, tx.ListServicesOf(ctx.tenant_id, {account_id}));
    for (const auto& s : services) {
      if (s.status == domain::ServiceStatus::kSuspended) {
        out = s.id;
        break;
      }
    }
    return Status::Ok();
  }));
  return out;
}

Status Conversations::Answer(const CallContext& ctx, const Loaded& l, Intent intent,
                             Plan& plan) const {
  const std::string& locale = l.conversation.locale;
  const std::string& account_id = plan.next.account_id;
  plan.next.state = ConversationState::kAwaitingIntent;
  plan.next.offered_type.reset();
  plan.next.options = kMainOptions;
  plan.next.wanted.reset();
  domain::Account account;
  std::vector<domain::Hold> holds;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(account, tx.GetAccount(ctx.tenant_id, account_id));
    SB_ASSIGN_OR_RETURN(holds, tx.ListHolds(ctx.tenant_id, account_id, true));
    return Status::Ok();
  }));
  if (intent == Intent::kStatus) {
    plan.says.push_back(replies::AccountIs(locale, account.status));
    for (std::string& s : HoldWords(locale, account, holds)) plan.says.push_back(std::move(s));
    return Status::Ok();
  }
  auto ip = l.policy.intents.find(intent);
  if (ip == l.policy.intents.end() || ip->second.request_types.empty()) {
    HandOver(plan, domain::HandOverWhy::kNotAllowed);
    return Status::Ok();
  }
  SubmitInput in;
  in.type = ip->second.request_types.front();
  in.account_id = account_id;
  if (in.type == domain::RequestType::kReconnection) {
    SB_ASSIGN_OR_RETURN(in.service_id, SuspendedService(ctx, account_id));
    if (!in.service_id) {
      plan.says.push_back(replies::Say(locale, "not_applicable"));
      return Status::Ok();
    }
  }
  // The engine's own dry run: the checks it would run and what it would wait for.
  CallContext preview = Inner(ctx, plan.next, l.policy, true);
  auto outcome = engine_.Submit(preview, in);
  if (!outcome.ok()) {
    Code code = outcome.status().code();
    if (code == Code::kInternal || code == Code::kUnavailable) return outcome.status();
    if (code == Code::kConflict) {
      plan.says.push_back(replies::Say(locale, "not_applicable"));
    } else {
      HandOver(plan, domain::HandOverWhy::kNotAllowed);
    }
    return Status::Ok();
  }
  for (std::string& s : Blockers(locale, account, outcome->checks))
    plan.says.push_back(std::move(s));
  plan.says.push_back(replies::Offer(locale, in.type));
  plan.next.state = ConversationState::kAwaitingConfirmation;
  plan.next.offered_type = in.type;
  plan.next.options = kConfirmOptions;
  return Status::Ok();
}

void Conversations::HandOver(Plan& plan, domain::HandOverWhy why) {
  plan.write = Write::kHandOver;
  plan.next.state = ConversationState::kHandedOver;
  plan.next.handover_reason = std::string(domain::Name(why));
  plan.next.options.clear();
  plan.says.clear();
}

}  // namespace sb::app
