#include "app/conversations/conversation_replies.h"

#include <array>
#include <cstdio>

namespace sb::app::replies {
namespace {

struct Line {
  std::string_view key;
  std::string_view en;
  std::string_view fr;
};

constexpr std::array<Line, 20> kLines{{
    {"greeting",
     "Hello, I can help you get your service back or tell you where your account stands. What "
     "is your account number?",
     "Bonjour, je peux vous aider à rétablir votre service ou vous dire où en est votre compte. "
     "Quel est votre numéro de compte ?"},
    {"ask_account", "What is your account number?", "Quel est votre numéro de compte ?"},
    {"ask_account_again", "Understood. First, what is your account number?",
     "Entendu. D'abord, quel est votre numéro de compte ?"},
    {"code_sent",
     "If this account number is ours, we have sent a 6-digit code to the phone or email on "
     "record. Please give me that code.",
     "Si ce numéro de compte est chez nous, nous avons envoyé un code à 6 chiffres au téléphone "
     "ou à l'e-mail enregistré. Merci de me donner ce code."},
    {"wrong_code", "That code is not right. Please try again.",
     "Ce code n'est pas le bon. Merci de réessayer."},
    {"identified", "Thank you, you are identified. What can I do for you?",
     "Merci, vous êtes identifié. Que puis-je faire pour vous ?"},
    {"not_understood", "Sorry, I did not understand.", "Désolé, je n'ai pas compris."},
    {"ask_code", "Please give me the 6-digit code.", "Merci de me donner le code à 6 chiffres."},
    {"ask_choice", "Please choose one of the options.", "Merci de choisir l'une des options."},
    {"ask_yes_no", "Please answer yes or no.", "Merci de répondre oui ou non."},
    {"declined", "All right, nothing was filed. What else can I do for you?",
     "D'accord, rien n'a été déposé. Que puis-je faire d'autre pour vous ?"},
    {"fault_open", "A fault on your line is still open.",
     "Un incident sur votre ligne est toujours ouvert."},
    {"verification_missing", "We still need to verify your identity or your documents.",
     "Nous devons encore vérifier votre identité ou vos documents."},
    {"under_review", "Your account is under review.", "Votre compte est en cours d'examen."},
    {"approval_needed", "An agent must approve it.", "Un conseiller doit l'approuver."},
    {"nothing_blocks", "Nothing blocks it.", "Rien ne la bloque."},
    {"not_applicable", "There is nothing of that kind to do on your account right now.",
     "Il n'y a rien de ce genre à faire sur votre compte pour le moment."},
    {"handover_request",
     "I am passing you to an agent, who will contact you. Your reference is {reference}.",
     "Je vous passe à un conseiller, qui vous recontactera. Votre référence est {reference}."},
    {"handover_reference",
     "I am passing you to an agent. Please give them this reference: {reference}.",
     "Je vous passe à un conseiller. Merci de lui donner cette référence : {reference}."},
    {"requests_open", "A request of yours is in progress.", "Une de vos demandes est en cours."},
}};

bool French(std::string_view locale) { return locale == "fr"; }

std::string TypeName(std::string_view locale, domain::RequestType t) {
  if (t == domain::RequestType::kReconnection)
    return French(locale) ? "rétablissement" : "reconnection";
  if (t == domain::RequestType::kReactivation)
    return French(locale) ? "réactivation" : "reactivation";
  return French(locale) ? "suivi" : "follow-up";
}

// What happens next to a request in state `s`.
std::string_view Next(std::string_view locale, domain::RequestState s) {
  using S = domain::RequestState;
  bool fr = French(locale);
  switch (s) {
    case S::kCompleted:
      return fr ? "C'est fait." : "It is done.";
    case S::kAwaitingPayment:
      return fr ? "Elle sera traitée dès que le montant dû sera payé."
                : "It will go ahead as soon as the amount due is paid.";
    case S::kAwaitingApproval:
      return fr ? "Un conseiller va l'examiner." : "An agent will review it.";
    case S::kAwaitingCustomer:
      return fr ? "Nous vous contacterons pour ce qui manque."
                : "We will contact you about what is missing.";
    case S::kRejected:
    case S::kCancelled:
    case S::kFailed:
      return fr ? "Elle n'a pas pu être acceptée." : "It could not be accepted.";
    default:
      return fr ? "Nous nous en occupons." : "We are working on it.";
  }
}

}  // namespace

std::string Say(std::string_view locale, std::string_view key) {
  for (const Line& l : kLines) {
    if (l.key == key) return std::string(French(locale) ? l.fr : l.en);
  }
  return "";
}

std::string AmountDue(std::string_view locale, std::int64_t minor, const std::string& currency) {
  char buf[64];
  std::int64_t units = minor / 100;
  int cents = static_cast<int>(minor % 100);
  std::snprintf(buf, sizeof buf, French(locale) ? "%lld,%02d" : "%lld.%02d",
                static_cast<long long>(units), cents < 0 ? -cents : cents);
  std::string amount = std::string(buf) + " " + currency;
  return French(locale) ? "Un montant de " + amount + " est dû sur votre compte."
                        : "An amount of " + amount + " is due on your account.";
}

std::string AccountIs(std::string_view locale, domain::AccountStatus status) {
  using A = domain::AccountStatus;
  bool fr = French(locale);
  std::string word;
  switch (status) {
    case A::kActive:
      word = fr ? "actif" : "active";
      break;
    case A::kSuspended:
      word = fr ? "suspendu" : "suspended";
      break;
    case A::kDormant:
      word = fr ? "en sommeil" : "dormant";
      break;
    case A::kClosed:
      word = fr ? "fermé" : "closed";
      break;
    default:
      word = fr ? "en attente d'activation" : "waiting for activation";
  }
  return fr ? "Votre compte est " + word + "." : "Your account is " + word + ".";
}

std::string Offer(std::string_view locale, domain::RequestType type) {
  return French(locale)
             ? "Voulez-vous que je dépose une demande de " + TypeName(locale, type) + " ?"
             : "Do you want me to file a " + TypeName(locale, type) + " request?";
}

std::string Filed(std::string_view locale, const domain::Request& r) {
  std::string text = French(locale) ? "Votre demande de " + TypeName(locale, r.type) +
                                          " est enregistrée. Sa référence est " + r.id + ". "
                                    : "Your " + TypeName(locale, r.type) +
                                          " request is filed. Its reference is " + r.id + ". ";
  return text + std::string(Next(locale, r.state));
}

std::string OptionLabel(std::string_view locale, domain::Intent intent) {
  using I = domain::Intent;
  bool fr = French(locale);
  switch (intent) {
    case I::kReconnect:
      return fr ? "Rétablir mon service" : "Reconnect my service";
    case I::kReactivate:
      return fr ? "Réactiver mon compte" : "Reactivate my account";
    case I::kStatus:
      return fr ? "Où en est mon compte" : "Where my account stands";
    case I::kHuman:
      return fr ? "Parler à un conseiller" : "Talk to an agent";
    case I::kYes:
      return fr ? "Oui" : "Yes";
    case I::kNo:
      return fr ? "Non" : "No";
  }
  return "";
}

std::string WithReference(std::string text, const std::string& reference) {
  constexpr std::string_view kMark = "{reference}";
  std::size_t at = text.find(kMark);
  if (at != std::string::npos) text.replace(at, kMark.size(), reference);
  return text;
}

}  // namespace sb::app::replies
