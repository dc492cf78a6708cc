// The values a template's variables take for one event (app/notifications/composer.h).
#include <cstdio>

#include "app/notifications/composer.h"
#include "app/notifications/customer_say.h"
#include "app/requests/request_flow.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::CheckKind;
using domain::RequestState;

constexpr const char* kMonthsEn[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
constexpr const char* kMonthsFr[] = {"janvier",   "février", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "août",
                                     "septembre", "octobre", "novembre", "décembre"};
constexpr const char* kDaysEn[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                   "Friday", "Saturday", "Sunday"};
constexpr const char* kDaysFr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                   "vendredi", "samedi", "dimanche"};

// The request type as the customer reads it.
std::string TypeWords(domain::RequestType type, bool fr) {
  static const std::map<std::string_view, const char*> kFr = {
      {"reconnection", "rétablissement"},
      {"reactivation", "réactivation"},
      {"activation", "activation"},
      {"suspension", "suspension"},
      {"termination", "résiliation"},
      {"plan_change", "changement d'offre"},
      {"personal_info_update", "mise à jour de vos informations"},
      {"billing_info_update", "mise à jour de facturation"},
      {"access_change", "changement d'accès"},
      {"ownership_transfer", "transfert de titulaire"},
      {"security_settings_change", "changement de sécurité"},
      {"billing_adjustment", "ajustement de facturation"},
      {"status_sync", "mise à jour de statut"}};
  std::string_view name = domain::Name(type);
  if (fr && kFr.count(name)) return kFr.at(name);
  std::string out(name);
  for (char& c : out) c = c == '_' ? ' ' : c;
  return out;
}

std::string StateWords(RequestState state, bool fr) {
  static const std::map<std::string_view, const char*> kFr = {
      {"received", "reçue"},
      {"verifying", "en vérification"},
      {"awaiting_payment", "en attente de paiement"},
      {"awaiting_customer", "en attente de votre part"},
      {"awaiting_approval", "en attente d'approbation"},
      {"approved", "approuvée"},
      {"provisioning", "en cours de mise en service"},
      {"completed", "traitée"},
      {"rejected", "refusée"},
      {"cancelled", "annulée"},
      {"failed", "en échec"}};
  std::string_view name = domain::Name(state);
  if (fr && kFr.count(name)) return kFr.at(name);
  std::string out(name);
  for (char& c : out) c = c == '_' ? ' ' : c;
  return out;
}

std::string Amount(std::int64_t minor, const std::string& currency, bool fr) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld%c%02lld %s", static_cast<long long>(minor / 100),
                fr ? ',' : '.', static_cast<long long>(minor % 100), currency.c_str());
  return buf;
}

// What the request waits for, from its failed checks.
std::string NeededNext(const domain::Request& r, const domain::Account& a, bool fr) {
  if (r.state == RequestState::kAwaitingPayment) {
    if (a.amount_due_minor <= 0) return fr ? "un paiement" : "a payment";
    return (fr ? "un paiement de " : "a payment of ") + Amount(a.amount_due_minor, a.currency, fr);
  }
  if (r.state != RequestState::kAwaitingCustomer) return {};
  std::string out;
  for (const domain::CheckResult& c : ChecksFromJson(r.checks_json)) {
    if (c.passed) continue;
    std::string what;
    if (c.kind == CheckKind::kIdentityVerified) {
      what = fr ? "une vérification d'identité" : "an identity verification";
    } else if (c.kind == CheckKind::kKycComplete || c.kind == CheckKind::kDataCurrent) {
      what = fr ? "des justificatifs" : "documents";
    } else if (c.kind == CheckKind::kConsentRecorded) {
      what = fr ? "votre consentement" : "your consent";
    } else {
      continue;
    }
    if (out.find(what) != std::string::npos) continue;
    out += (out.empty() ? "" : (fr ? " et " : " and ")) + what;
  }
  if (out.empty()) out = fr ? "une réponse de votre part" : "an answer from you";
  return out;
}

std::string Reason(const domain::Request& r) {
  std::string out;
  for (const domain::CheckResult& c : ChecksFromJson(r.checks_json)) {
    if (!c.passed && !c.detail.empty()) out += (out.empty() ? "" : "; ") + c.detail;
  }
  return out;
}

std::string OfferWords(const json::object& data) {
  const json::value* offer = data.if_contains("offer");
  if (!offer || !offer->is_object()) return {};
  const json::value* d = offer->as_object().if_contains("description");
  return d && d->is_string() ? std::string(d->as_string()) : std::string();
}

}  // namespace

std::string FormatLocalTime(Timestamp at, const std::string& locale, const TimeZone& zone,
                            const std::string& zone_name) {
  Timestamp local = zone.ToLocal(at);
  CivilDate d = LocalDate(local);
  int minute = LocalMinuteOfDay(local);
  int wd = LocalWeekday(local);
  char hm[16];
  std::snprintf(hm, sizeof hm, "%02d:%02d", minute / 60, minute % 60);
  std::string day = std::to_string(d.day), year = std::to_string(d.year);
  if (locale == "fr") {
    return std::string(kDaysFr[wd]) + " " + day + " " + kMonthsFr[d.month - 1] + " " + year +
           " à " + hm + " (" + zone_name + ")";
  }
  return std::string(kDaysEn[wd]) + " " + day + " " + kMonthsEn[d.month - 1] + " " + year + ", " +
         hm + " (" + zone_name + ")";
}

std::map<std::string, std::string> TemplateVariables(
    const domain::PolicyPack& pack, const domain::Account& account, const domain::Profile& profile,
    const domain::Request* request, const json::object& data, const std::string& locale,
    const TimeZone& zone) {
  bool fr = locale == "fr";
  std::map<std::string, std::string> v;
  v["customer_name"] = profile.name;
  v["account_reference"] = account.external_ref;
  if (account.amount_due_minor > 0)
    v["amount_due"] = Amount(account.amount_due_minor, account.currency, fr);
  v["offer"] = OfferWords(data);
  v["portal_link"] = pack.notify.portal_url;
  if (request == nullptr) return v;
  v["request_reference"] = request->id;
  v["request_type"] = TypeWords(request->type, fr);
  v["request_state"] = StateWords(request->state, fr);
  v["needed_next"] = NeededNext(*request, account, fr);
  if (request->state == RequestState::kRejected || request->state == RequestState::kFailed)
    v["reason"] = Reason(*request);
  if (request->due_at && !domain::IsTerminal(request->state))
    v["due_time"] = FormatLocalTime(*request->due_at, locale, zone,
                                    CustomerTimeZone(pack.notify, profile.notifications));
  return v;
}

}  // namespace sb::app
