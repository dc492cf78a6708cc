#include "app/notifications/templates.h"

#include <algorithm>
#include <iterator>
#include <kainjow/mustache.hpp>

namespace sb::app {

// The files of templates/notifications/, name -> text (generated at build time by
// cmake/embed_templates.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedTemplateFiles();

namespace {

constexpr size_t kMaxTemplateBytes = 16 * 1024;

Status Refuse(const TemplateKey& key, int line, const std::string& why) {
  std::string where = "template " + key.Id();
  if (line > 0) where += " line " + std::to_string(line);
  return Status::Unprocessable("invalid_template", where + ": " + why, "template");
}

bool KnownVariable(std::string_view name) {
  return std::find(std::begin(kTemplateVariables), std::end(kTemplateVariables), name) !=
         std::end(kTemplateVariables);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Checks every tag of `part`, whose first line is line `first_line` of the template.
Status CheckTags(const TemplateKey& key, std::string_view part, int first_line) {
  std::vector<std::string> open;  // sections not yet closed
  size_t at = 0;
  auto line_of = [&](size_t pos) {
    return first_line + static_cast<int>(std::count(part.begin(), part.begin() + pos, '\n'));
  };
  while ((at = part.find("{{", at)) != std::string_view::npos) {
    bool triple = part.substr(at, 3) == "{{{";
    std::string_view closer = triple ? "}}}" : "}}";
    size_t end = part.find(closer, at + closer.size());
    if (end == std::string_view::npos) return Refuse(key, line_of(at), "a tag does not close");
    std::string_view inner = part.substr(at + closer.size(), end - at - closer.size());
    int line = line_of(at);
    at = end + closer.size();
    if (inner.find('\n') != std::string_view::npos)
      return Refuse(key, line, "a tag does not close on its line");
    char sigil = inner.empty() ? ' ' : inner.front();
    if (sigil == '!') continue;
    if (sigil == '>' || sigil == '=' || sigil == '<')
      return Refuse(key, line, "partials and delimiter changes are not allowed");
    if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&'))
      inner.remove_prefix(1);
    std::string name(Trim(inner));
    if (name.empty()) return Refuse(key, line, "an empty tag");
    if (!KnownVariable(name)) return Refuse(key, line, "unknown variable '" + name + "'");
    if (!triple && (sigil == '#' || sigil == '^')) open.push_back(name);
    if (!triple && sigil == '/') {
      if (open.empty() || open.back() != name)
        return Refuse(key, line, "'" + name + "' closes a section that is not open");
      open.pop_back();
    }
  }
  if (!open.empty()) return Refuse(key, 0, "section '" + open.back() + "' is never closed");
  kainjow::mustache::mustache m{std::string(part)};
  if (!m.is_valid()) return Refuse(key, first_line, m.error_message());
  return Status::Ok();
}

// Splits an email template into its parts; lines are 1-based.
Result<ParsedTemplate> SplitEmail(const TemplateKey& key, std::string_view body,
                                  std::vector<int>& first_lines) {
  ParsedTemplate t;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= body.size();) {
    size_t nl = body.find('\n', start);
    if (nl == std::string_view::npos) nl = body.size();
    lines.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.empty() || lines[0].rfind("subject:", 0) != 0)
    return Refuse(key, 1, "an email template starts with 'subject: ...'");
  t.subject = std::string(Trim(lines[0].substr(8)));
  if (t.subject.empty()) return Refuse(key, 1, "the subject is empty");
  if (lines.size() < 2 || Trim(lines[1]) != "--- text")
    return Refuse(key, 2, "the second line of an email template is '--- text'");
  std::vector<std::string_view> text, html;
  std::vector<std::string_view>* part = &text;
  first_lines = {1, 3, 0};
  for (size_t i = 2; i < lines.size(); ++i) {
    if (Trim(lines[i]) == "--- html" && part == &text) {
      part = &html;
      first_lines[2] = static_cast<int>(i) + 2;
      continue;
    }
    if (Trim(lines[i]).rfind("--- ", 0) == 0)
      return Refuse(key, static_cast<int>(i) + 1, "unknown or repeated part marker");
    part->push_back(lines[i]);
  }
  auto join = [](const std::vector<std::string_view>& ls) {
    std::string out;
    for (size_t i = 0; i < ls.size(); ++i) out.append(i ? "\n" : "").append(ls[i]);
    return out;
  };
  t.text = join(text);
  t.html = join(html);
  while (!t.text.empty() && t.text.back() == '\n') t.text.pop_back();
  if (Trim(t.text).empty()) return Refuse(key, 3, "the text part is empty");
  return t;
}

// Renders `part` writing values as they are: the caller escaped them where needed.
std::string RenderRaw(const std::string& part, const kainjow::mustache::data& data) {
  kainjow::mustache::mustache m{part};
  m.set_custom_escape([](const std::string& s) { return s; });
  return m.render(data);
}

}  // namespace

Result<ParsedTemplate> ParseTemplate(const TemplateKey& key, std::string_view body) {
  if (body.size() > kMaxTemplateBytes) return Refuse(key, 0, "longer than 16 KiB");
  if (key.channel == "sms") {
    if (std::string_view(Trim(body)).empty()) return Refuse(key, 1, "the message is empty");
    SB_RETURN_IF_ERROR(CheckTags(key, body, 1));
    ParsedTemplate t;
    t.text = std::string(body);
    while (!t.text.empty() && t.text.back() == '\n') t.text.pop_back();
    return t;
  }
  if (key.channel != "email") return Refuse(key, 0, "unknown channel '" + key.channel + "'");
  std::vector<int> first;
  SB_ASSIGN_OR_RETURN(ParsedTemplate t, SplitEmail(key, body, first));
  SB_RETURN_IF_ERROR(CheckTags(key, t.subject, first[0]));
  SB_RETURN_IF_ERROR(CheckTags(key, t.text, first[1]));
  if (!t.html.empty()) SB_RETURN_IF_ERROR(CheckTags(key, t.html, first[2]));
  return t;
}

RenderedTemplate RenderTemplate(const ParsedTemplate& t,
                                const std::map<std::string, std::string>& vars) {
  kainjow::mustache::data plain;
  kainjow::mustache::data escaped;
  for (std::string_view name : kTemplateVariables) {
    auto it = vars.find(std::string(name));
    std::string v = it == vars.end() ? std::string() : it->second;
    // An empty value is false in a section, so {{#offer}}...{{/offer}} shows only with one.
    if (v.empty()) {
      plain.set(std::string(name), kainjow::mustache::data::type::bool_false);
      escaped.set(std::string(name), kainjow::mustache::data::type::bool_false);
      continue;
    }
    plain.set(std::string(name), v);
    escaped.set(std::string(name), kainjow::mustache::html_escape(v));
  }
  RenderedTemplate out;
  out.subject = RenderRaw(t.subject, plain);
  out.text = RenderRaw(t.text, plain);
  // Values were HTML-escaped once above, so that {{{v}}} cannot write markup either.
  if (!t.html.empty()) out.html = RenderRaw(t.html, escaped);
  return out;
}

const std::map<TemplateKey, std::string>& DefaultTemplates() {
  static const std::map<TemplateKey, std::string> kAll = [] {
    std::map<TemplateKey, std::string> all;
    for (const auto& [file, text] : EmbeddedTemplateFiles()) {
      // "<notification>.<channel>.<locale>.mustache"; the notification holds a dot itself.
      std::string name(file.substr(0, file.size() - std::string_view(".mustache").size()));
      size_t l = name.rfind('.');
      size_t c = name.rfind('.', l - 1);
      all[{name.substr(0, c), name.substr(c + 1, l - c - 1), name.substr(l + 1)}] =
          std::string(text);
    }
    return all;
  }();
  return kAll;
}

std::map<std::string, std::string> SampleVariables(std::string_view locale) {
  bool fr = locale == "fr";
  return {{"customer_name", "Jane Doe"},
          {"account_reference", "CUST-1001"},
          {"request_reference", "req_0123456789abcdef"},
          {"request_type", fr ? "rétablissement" : "reconnection"},
          {"request_state", fr ? "en attente de paiement" : "awaiting payment"},
          {"needed_next", fr ? "un paiement de 42,00 EUR" : "a payment of 42.00 EUR"},
          {"amount_due", fr ? "42,00 EUR" : "42.00 EUR"},
          {"due_time", fr ? "lundi 30 mars 2026 à 09:00 (Europe/Paris)"
                          : "Monday 30 March 2026, 09:00 (Europe/Paris)"},
          {"reason", fr ? "le paiement n'a pas abouti" : "the payment did not clear"},
          {"offer", fr ? "20 % de remise pendant 3 mois" : "20% off for 3 months"},
          {"portal_link", "https://portal.example.com"},
          {"code", "123456"},
          {"code_valid_minutes", "10"},
          {"user_name", "Ana Agent"},
          {"invitation_link", "https://switchboard.example.com/#invitation=sbt_example"},
          {"invitation_valid_hours", "72"},
          {"sla_status", fr ? "dépassé" : "breached"},
          {"console_link", "https://switchboard.example.com/#/accounts/acc_0123456789abcdef"},
          {"csat_link", "https://portal.example.com#csat=ten_example.sbt_example"},
          {"receipt_link", "https://portal.example.com#receipt=ten_example.req_0123.mac"}};
}

}  // namespace sb::app
