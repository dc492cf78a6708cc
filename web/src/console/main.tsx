// The staff console: sign-in, the work queue, the account page (with filing a request) and
// the approvals inbox, the policy pack, the outreach list, the assistant's hand-overs, and for
// supervisors and admins the dashboard and the bulk jobs. Routes live in the URL fragment
// (#/queue, #/accounts/<id>, #/approvals, #/dashboard, #/bulk-jobs, #/policy-pack, #/outreach,
// #/conversations, #/conversations/<id>) so the server serves one shell at GET /.
import 'uplot/dist/uPlot.min.css';
import '../shared/styles.css';
import { render, type FunctionComponent } from 'preact';
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, type WhoAmI } from '../shared/api';
import { t } from '../shared/i18n';
import { Header } from '../shared/ui';
import { SignIn } from './sign_in';
import { AcceptInvitation, invitationToken } from './invitation';
import { Queue } from './queue';
import { AccountPage } from './account';
import { Approvals } from './approvals';
import { BulkJobs } from './bulk_jobs';
import { OutreachPage } from './score';
import { ConversationPage, HandOvers } from './conversations';
import { PolicyPack } from './policy_pack';

export const me = signal<WhoAmI | null | undefined>(undefined);
const route = signal(location.hash);
addEventListener('hashchange', () => (route.value = location.hash));

async function loadMe(): Promise<void> {
  try {
    me.value = await api<WhoAmI>('GET', '/v1/whoami');
  } catch (e) {
    me.value = null;
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
}

async function signOut(): Promise<void> {
  try {
    await api('DELETE', '/v1/sessions/current');
  } finally {
    setCsrfToken(null);
    me.value = null;
  }
}

// The dashboard and its charting library load only when a supervisor opens it.
function LazyDashboard() {
  const [Page, setPage] = useState<FunctionComponent | null>(null);
  useEffect(() => {
    import('./dashboard').then((m) => setPage(() => m.Dashboard));
  }, []);
  return Page ? <Page /> : <p class="note">{t('queue.loading')}</p>;
}

function App() {
  useEffect(() => {
    loadMe();
  }, []);
  useEffect(() => {
    document.title = `${t('app.name')}`;
  });
  if (me.value === undefined) return null;
  const invitation = invitationToken(route.value);
  if (invitation) {
    return (
      <>
        <Header title={t('app.name')} />
        <main id="main">
          <AcceptInvitation token={invitation} onDone={() => (route.value = location.hash)} />
        </main>
      </>
    );
  }
  if (me.value === null) {
    return (
      <>
        <Header title={t('app.name')} />
        <main id="main">
          <SignIn onSignedIn={loadMe} />
        </main>
      </>
    );
  }
  const account = /^#\/accounts\/([^/]+)$/.exec(route.value);
  const approvals = route.value === '#/approvals';
  const bulk = route.value === '#/bulk-jobs';
  const dashboard = route.value === '#/dashboard';
  const packPage = route.value === '#/policy-pack';
  const outreach = route.value === '#/outreach';
  const conversation = /^#\/conversations\/([^/]+)$/.exec(route.value);
  const handovers = route.value === '#/conversations' || conversation !== null;
  const supervises = me.value.role === 'admin' || me.value.role === 'supervisor';
  let page = <Queue me={me.value} />;
  if (account) page = <AccountPage id={decodeURIComponent(account[1])} me={me.value} />;
  else if (approvals) page = <Approvals me={me.value} />;
  else if (bulk && supervises) page = <BulkJobs />;
  else if (dashboard && supervises) page = <LazyDashboard />;
  else if (packPage) page = <PolicyPack me={me.value} />;
  else if (outreach) page = <OutreachPage />;
  else if (conversation) page = <ConversationPage id={decodeURIComponent(conversation[1])} />;
  else if (handovers) page = <HandOvers />;
  return (
    <>
      <Header title={t('app.name')}>
        <nav aria-label={t('nav.main')}>
          <a href="#/queue" aria-current={!account && !approvals && !bulk && !dashboard && !packPage && !outreach && !handovers ? 'page' : undefined}>
            {t('nav.queue')}
          </a>
          <a href="#/approvals" aria-current={approvals ? 'page' : undefined}>
            {t('nav.approvals')}
          </a>
          <a href="#/outreach" aria-current={outreach ? 'page' : undefined}>
            {t('nav.outreach')}
          </a>
          <a href="#/conversations" aria-current={handovers ? 'page' : undefined}>
            {t('nav.handovers')}
          </a>
          {supervises && (
            <a href="#/dashboard" aria-current={dashboard ? 'page' : undefined}>
              {t('nav.dashboard')}
            </a>
          )}
          {supervises && (
            <a href="#/bulk-jobs" aria-current={bulk ? 'page' : undefined}>
              {t('nav.bulk')}
            </a>
          )}
          <a href="#/policy-pack" aria-current={packPage ? 'page' : undefined}>
            {t('nav.pack')}
          </a>
        </nav>
        <button type="button" class="secondary" onClick={signOut}>
          {t('signout')}
        </button>
      </Header>
      <main id="main">
        {page}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
