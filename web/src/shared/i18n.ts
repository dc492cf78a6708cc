// A small message catalogue, English and French. The language is the browser's first
// preference that the catalogue has (else English) until the user picks one with the switch;
// the choice is remembered on this browser.

import { signal, effect } from '@preact/signals';

export type Lang = 'en' | 'fr';
const STORE = 'sb.lang';

function initial(): Lang {
  const saved = localStorage.getItem(STORE);
  if (saved === 'en' || saved === 'fr') return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith('fr')) return 'fr';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export const lang = signal<Lang>(initial());
effect(() => {
  document.documentElement.lang = lang.value;
});

export function setLang(l: Lang): void {
  localStorage.setItem(STORE, l);
  lang.value = l;
}

type Catalogue = Record<string, string>;

const en: Catalogue = {
  'app.name': 'Switchboard',
  'app.skip': 'Skip to content',
  'lang.switch': 'Français',
  'lang.label': 'Language',
  'signin.title': 'Staff sign-in',
  'signin.tenant': 'Organisation ID',
  'signin.email': 'Email',
  'signin.password': 'Password',
  'signin.totp': 'Authenticator code',
  'signin.submit': 'Sign in',
  'signin.failed': 'The email, password or code is not right.',
  'signin.locked': 'Too many attempts. Try again in a few minutes.',
  'invitation.title': 'Welcome to Switchboard',
  'invitation.intro': 'Choose your password: at least 12 characters, not your email.',
  'invitation.password': 'New password',
  'invitation.again': 'The same password again',
  'invitation.submit': 'Set my password',
  'invitation.mismatch': 'The two passwords are not the same.',
  'invitation.weak': 'That password is too weak: use at least 12 characters, not your email.',
  'invitation.unknown': 'This invitation link is unknown, already used or expired. Ask an administrator for a new one.',
  'invitation.enrol.title': 'Set up your authenticator app',
  'invitation.enrol.scan': 'Scan this code with your authenticator app. It is shown only once.',
  'invitation.enrol.qr': 'QR code of your authenticator secret',
  'invitation.enrol.secret': 'Or type this secret into the app:',
  'invitation.enrol.next': 'Then sign in as {email} with your password and the code the app shows.',
  'invitation.enrol.continue': 'Continue to sign-in',
  'signout': 'Sign out',
  'nav.queue': 'Work queue',
  'nav.main': 'Main',
  'queue.title': 'Work queue',
  'queue.filters': 'Filters',
  'queue.state': 'State',
  'queue.type': 'Type',
  'queue.priority': 'Priority',
  'queue.sla': 'SLA status',
  'queue.any': 'Any',
  'queue.state.open': 'Open (not finished)',
  'queue.count': '{n} requests',
  'queue.loading': 'Loading…',
  'queue.empty': 'No request matches these filters.',
  'queue.claim': 'Claim',
  'queue.claimed': 'Claimed',
  'queue.open': 'Open account',
  'queue.help': 'Arrow keys move between rows, Enter opens the account, C claims the request.',
  'queue.col.request': 'Request',
  'queue.col.state': 'State',
  'queue.col.priority': 'Priority',
  'queue.col.due': 'Due in',
  'queue.col.assignee': 'Assignee',
  'queue.col.actions': 'Actions',
  'sla.on_track': 'On track',
  'sla.at_risk': 'At risk',
  'sla.breached': 'Breached',
  'sla.paused': 'Paused',
  'sla.met': 'Met',
  'sla.none': 'No SLA',
  'sla.overdue': 'overdue by {t}',
  'account.title': 'Account {ref}',
  'account.status': 'Status',
  'account.lifecycle': 'Lifecycle',
  'account.services': 'Services',
  'account.holds': 'Holds',
  'account.noholds': 'No active hold.',
  'account.hold.expires': 'expires {t}',
  'account.hold.noexpiry': 'no expiry',
  'account.open': 'Open requests',
  'account.noopen': 'No open request.',
  'account.timeline': 'Timeline',
  'account.back': 'Back to the queue',
  'timeline.request': 'Request {type}: {state}',
  'timeline.audit': '{action}',
  'timeline.notification': 'Notification {name} by {channel}: {state}',
  'timeline.more': 'Show more',
  'verify.button': 'Verify',
  'verify.label': 'Verify the proof of audit entry {id}',
  'verify.running': 'Verifying…',
  'verify.ok': 'Verified: in the signed log of {size} entries (key {key}).',
  'verify.leaf': 'Not verified: the proof is not for this entry.',
  'verify.path': 'Not verified: the proof does not lead to the signed root.',
  'verify.signature': 'Not verified: the checkpoint signature is not valid.',
  'verify.pending': 'Not yet in a signed checkpoint; try again shortly.',
  'verify.forbidden': 'Your role cannot read audit proofs.',
  'error.generic': 'Something went wrong: {detail}',
  'error.session': 'Your session has ended. Please sign in again.',
  'portal.title': 'Your account',
  'portal.signin.title': 'Sign in with a one-time code',
  'portal.signin.tenant': 'Provider ID',
  'portal.signin.ref': 'Account number (as on your bill)',
  'portal.signin.channel': 'Send the code by',
  'portal.signin.email': 'Email',
  'portal.signin.sms': 'Text message',
  'portal.signin.send': 'Send me a code',
  'portal.signin.sent': 'If the details match an account, a code is on its way. It is valid for 10 minutes.',
  'portal.signin.code': 'Code',
  'portal.signin.submit': 'Sign in',
  'portal.signin.failed': 'That code is not right or has expired.',
  'portal.status': 'Account status',
  'portal.services': 'Your services',
  'portal.requests': 'Your requests',
  'portal.norequests': 'You have no request yet.',
  'portal.new': 'Ask for something',
  'portal.new.type': 'What do you need?',
  'portal.new.service': 'Which service?',
  'portal.new.submit': 'Send my request',
  'portal.new.sent': 'Your request was received.',
  'portal.step.received': 'Received',
  'portal.step.verifying': 'Checking',
  'portal.step.waiting': 'Waiting',
  'portal.step.approved': 'Approved',
  'portal.step.provisioning': 'In progress',
  'portal.step.completed': 'Done',
  'portal.need.awaiting_payment': 'We are waiting for your payment. Once it is received, we carry on.',
  'portal.need.awaiting_customer': 'We need something from you. Check your email or call us.',
  'portal.need.awaiting_approval': 'A member of our team is reviewing your request.',
  'portal.need.verifying': 'We are checking your request.',
  'portal.need.received': 'We have your request.',
  'portal.need.approved': 'Your request is approved and will be carried out shortly.',
  'portal.need.provisioning': 'We are making the change.',
  'portal.need.completed': 'Done: nothing more is needed.',
  'portal.need.rejected': 'We could not accept this request. Contact us to know more.',
  'portal.need.cancelled': 'This request was cancelled.',
  'portal.need.failed': 'The change could not be made. We will contact you.',
  'portal.filed': 'Filed {t}',
  'type.activation': 'Opening the account',
  'type.reconnection': 'Reconnect a service',
  'type.reactivation': 'Reactivate my account',
  'type.termination': 'End a service',
  'type.suspension': 'Pause a service',
  'type.plan_change': 'Change plan',
  'type.personal_info_update': 'Update my details',
};

const fr: Catalogue = {
  'app.name': 'Switchboard',
  'app.skip': 'Aller au contenu',
  'lang.switch': 'English',
  'lang.label': 'Langue',
  'signin.title': 'Connexion du personnel',
  'signin.tenant': "Identifiant de l'organisation",
  'signin.email': 'E-mail',
  'signin.password': 'Mot de passe',
  'signin.totp': "Code de l'application d'authentification",
  'signin.submit': 'Se connecter',
  'signin.failed': "L'e-mail, le mot de passe ou le code est incorrect.",
  'signin.locked': 'Trop de tentatives. Réessayez dans quelques minutes.',
  'invitation.title': 'Bienvenue dans Switchboard',
  'invitation.intro': 'Choisissez votre mot de passe : au moins 12 caractères, différent de votre e-mail.',
  'invitation.password': 'Nouveau mot de passe',
  'invitation.again': 'Le même mot de passe à nouveau',
  'invitation.submit': 'Enregistrer mon mot de passe',
  'invitation.mismatch': 'Les deux mots de passe ne sont pas identiques.',
  'invitation.weak': 'Ce mot de passe est trop faible : au moins 12 caractères, différent de votre e-mail.',
  'invitation.unknown': "Ce lien d'invitation est inconnu, déjà utilisé ou expiré. Demandez-en un nouveau à un administrateur.",
  'invitation.enrol.title': "Configurez votre application d'authentification",
  'invitation.enrol.scan': "Scannez ce code avec votre application d'authentification. Il n'est affiché qu'une fois.",
  'invitation.enrol.qr': "QR code de votre secret d'authentification",
  'invitation.enrol.secret': "Ou saisissez ce secret dans l'application :",
  'invitation.enrol.next': "Connectez-vous ensuite en tant que {email} avec votre mot de passe et le code affiché par l'application.",
  'invitation.enrol.continue': 'Continuer vers la connexion',
  'signout': 'Se déconnecter',
  'nav.queue': 'File de travail',
  'nav.main': 'Principal',
  'queue.title': 'File de travail',
  'queue.filters': 'Filtres',
  'queue.state': 'État',
  'queue.type': 'Type',
  'queue.priority': 'Priorité',
  'queue.sla': 'État du délai',
  'queue.any': 'Tous',
  'queue.state.open': 'En cours (non terminées)',
  'queue.count': '{n} demandes',
  'queue.loading': 'Chargement…',
  'queue.empty': 'Aucune demande ne correspond à ces filtres.',
  'queue.claim': 'Prendre',
  'queue.claimed': 'Prise',
  'queue.open': 'Ouvrir le compte',
  'queue.help': "Les flèches changent de ligne, Entrée ouvre le compte, C prend la demande.",
  'queue.col.request': 'Demande',
  'queue.col.state': 'État',
  'queue.col.priority': 'Priorité',
  'queue.col.due': 'Échéance',
  'queue.col.assignee': 'Responsable',
  'queue.col.actions': 'Actions',
  'sla.on_track': 'Dans les temps',
  'sla.at_risk': 'À risque',
  'sla.breached': 'Dépassé',
  'sla.paused': 'En pause',
  'sla.met': 'Respecté',
  'sla.none': 'Sans délai',
  'sla.overdue': 'en retard de {t}',
  'account.title': 'Compte {ref}',
  'account.status': 'Statut',
  'account.lifecycle': 'Cycle de vie',
  'account.services': 'Services',
  'account.holds': 'Blocages',
  'account.noholds': 'Aucun blocage actif.',
  'account.hold.expires': 'expire {t}',
  'account.hold.noexpiry': 'sans échéance',
  'account.open': 'Demandes en cours',
  'account.noopen': 'Aucune demande en cours.',
  'account.timeline': 'Historique',
  'account.back': 'Retour à la file',
  'timeline.request': 'Demande {type} : {state}',
  'timeline.audit': '{action}',
  'timeline.notification': 'Notification {name} par {channel} : {state}',
  'timeline.more': 'Afficher plus',
  'verify.button': 'Vérifier',
  'verify.label': "Vérifier la preuve de l'entrée d'audit {id}",
  'verify.running': 'Vérification…',
  'verify.ok': 'Vérifiée : dans le journal signé de {size} entrées (clé {key}).',
  'verify.leaf': "Non vérifiée : la preuve n'est pas celle de cette entrée.",
  'verify.path': 'Non vérifiée : la preuve ne mène pas à la racine signée.',
  'verify.signature': "Non vérifiée : la signature du point de contrôle n'est pas valide.",
  'verify.pending': 'Pas encore dans un point de contrôle signé ; réessayez dans un instant.',
  'verify.forbidden': "Votre rôle ne permet pas de lire les preuves d'audit.",
  'error.generic': 'Un problème est survenu : {detail}',
  'error.session': 'Votre session a pris fin. Veuillez vous reconnecter.',
  'portal.title': 'Votre compte',
  'portal.signin.title': 'Connexion par code à usage unique',
  'portal.signin.tenant': 'Identifiant du fournisseur',
  'portal.signin.ref': 'Numéro de compte (sur votre facture)',
  'portal.signin.channel': 'Recevoir le code par',
  'portal.signin.email': 'E-mail',
  'portal.signin.sms': 'SMS',
  'portal.signin.send': 'Recevoir un code',
  'portal.signin.sent': 'Si ces informations correspondent à un compte, un code est en route. Il est valable 10 minutes.',
  'portal.signin.code': 'Code',
  'portal.signin.submit': 'Se connecter',
  'portal.signin.failed': "Ce code est incorrect ou a expiré.",
  'portal.status': 'Statut du compte',
  'portal.services': 'Vos services',
  'portal.requests': 'Vos demandes',
  'portal.norequests': "Vous n'avez encore aucune demande.",
  'portal.new': 'Faire une demande',
  'portal.new.type': 'De quoi avez-vous besoin ?',
  'portal.new.service': 'Pour quel service ?',
  'portal.new.submit': 'Envoyer ma demande',
  'portal.new.sent': 'Votre demande a été reçue.',
  'portal.step.received': 'Reçue',
  'portal.step.verifying': 'Vérification',
  'portal.step.waiting': 'En attente',
  'portal.step.approved': 'Acceptée',
  'portal.step.provisioning': 'En cours',
  'portal.step.completed': 'Terminée',
  'portal.need.awaiting_payment': 'Nous attendons votre paiement. Dès sa réception, nous poursuivons.',
  'portal.need.awaiting_customer': 'Nous avons besoin de vous. Consultez vos e-mails ou appelez-nous.',
  'portal.need.awaiting_approval': "Un membre de notre équipe examine votre demande.",
  'portal.need.verifying': 'Nous vérifions votre demande.',
  'portal.need.received': 'Nous avons bien reçu votre demande.',
  'portal.need.approved': 'Votre demande est acceptée et sera traitée sous peu.',
  'portal.need.provisioning': 'Nous effectuons le changement.',
  'portal.need.completed': "C'est fait : rien d'autre n'est nécessaire.",
  'portal.need.rejected': "Nous n'avons pas pu accepter cette demande. Contactez-nous pour en savoir plus.",
  'portal.need.cancelled': 'Cette demande a été annulée.',
  'portal.need.failed': "Le changement n'a pas pu être effectué. Nous vous contacterons.",
  'portal.filed': 'Déposée {t}',
  'type.activation': 'Ouverture du compte',
  'type.reconnection': 'Rétablir un service',
  'type.reactivation': 'Réactiver mon compte',
  'type.termination': 'Résilier un service',
  'type.suspension': 'Suspendre un service',
  'type.plan_change': "Changer d'offre",
  'type.personal_info_update': 'Mettre à jour mes informations',
};

const catalogues: Record<Lang, Catalogue> = { en, fr };

// The message `key` in the current language with `{name}` placeholders filled in; reading
// it subscribes the calling component to language changes.
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = catalogues[lang.value][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang.value === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

// "1 h 05 min", "3 min 20 s": a duration for countdowns.
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} ${lang.value === 'fr' ? 'j' : 'd'} ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

export function humanize(code: string): string {
  return code.replace(/[._]/g, ' ');
}
