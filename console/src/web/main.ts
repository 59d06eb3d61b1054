/**
 * The console's pages, routed by the URL's hash: `#/` the participants and their days,
 * `#/participants/<id>/days/<YYYY-MM-DD>` a participant's day, `#/review/<id>/<YYYY-MM-DD>` the
 * day's review queue (reviewers, logged in), `#/login` the reviewers' login. Data comes from the
 * server's JSON API; the drawing is the shared chart code. `body[data-state]` says loading, ready
 * or error.
 */
import { dayView } from '../charts/day-view.js';
import { element } from '../charts/html.js';
import { participantsView } from '../charts/participants-view.js';
import { loginView } from '../charts/review-view.js';
import { CONSOLE_CSS } from '../charts/styles.js';
import type { ParticipantDay, ParticipantSummary } from '../day/types.js';
import type { ReviewSession } from '../review/types.js';
import { ApiError, currentSession, getJson, postJson } from './api.js';
import { ReviewPage } from './review-page.js';

interface Settings {
  readonly timeZone: string;
  readonly tileUrl: string | null;
}

const page = document.getElementById('page')!;
const style = document.createElement('style');
style.textContent = CONSOLE_CSS;
document.head.append(style);

const dayHref = (participant: string, day: string) => `#/participants/${encodeURIComponent(participant)}/days/${day}`;
const reviewHref = (participant: string, day: string) => `#/review/${encodeURIComponent(participant)}/${day}`;
const loginHref = (next: string) => `#/login?next=${encodeURIComponent(next)}`;

const contentWidth = () => Math.max(600, Math.min(1092, page.clientWidth - 34));

let review: ReviewPage | null = null;
/** The session as last read: null when this console has no review. */
let session: ReviewSession | null = null;

/** The top bar's right side: who is logged in and a logout button, or a login link. */
function showWho(): void {
  const nav = document.querySelector('nav.top')!;
  nav.querySelector('.who')?.remove();
  if (session === null) return;
  const who =
    session.reviewer === null
      ? element(document, 'span', { class: 'who' }, [element(document, 'a', { href: loginHref(location.hash || '#/'), id: 'login-link' }, ['Reviewer login'])])
      : element(document, 'span', { class: 'who' }, [`${session.reviewer} `, element(document, 'button', { type: 'button', id: 'logout' }, ['Log out'])]);
  who.querySelector('#logout')?.addEventListener('click', () => void logout());
  nav.append(who);
}

async function logout(): Promise<void> {
  if (session === null) return;
  await postJson('api/logout', {}, session);
  session = await currentSession();
  showWho();
  location.hash = '#/';
}

function showError(err: unknown): void {
  const message = document.createElement('p');
  message.className = 'error';
  message.textContent = `Could not load this page: ${(err as Error).message}`;
  page.replaceChildren(message);
  document.body.dataset.state = 'error';
}

async function showLogin(next: string): Promise<void> {
  document.title = 'Reviewer login · Polluscope console';
  if (session === null) {
    page.replaceChildren(element(document, 'p', { class: 'error' }, ['Review is not enabled on this console (its REVIEW_WAREHOUSE_URL setting is unset).']));
    return;
  }
  const draw = (message: string | null) => {
    page.replaceChildren(loginView(document, message));
    const form = page.querySelector('form#login') as HTMLFormElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      void (async () => {
        try {
          session = await currentSession();
          session = await postJson<ReviewSession>('api/login', { name: String(data.get('name') ?? ''), password: String(data.get('password') ?? '') }, session!);
          showWho();
          location.hash = next;
        } catch (err) {
          const status = err instanceof ApiError ? err.status : 0;
          draw(status === 401 ? 'Unknown reviewer or wrong password.' : status === 429 ? 'Too many attempts: wait a minute.' : `Could not log in: ${(err as Error).message}`);
        }
      })();
    });
    (form.querySelector('input[name="name"]') as HTMLInputElement).focus();
  };
  draw(null);
}

async function show(): Promise<void> {
  review?.stop();
  review = null;
  document.body.dataset.state = 'loading';
  const dayRoute = /^#\/participants\/([^/]+)\/days\/(\d{4}-\d{2}-\d{2})$/.exec(location.hash);
  const reviewRoute = /^#\/review\/([^/]+)\/(\d{4}-\d{2}-\d{2})$/.exec(location.hash);
  const loginRoute = /^#\/login(?:\?next=(.*))?$/.exec(location.hash);
  try {
    const settings = await getJson<Settings>('api/settings');
    session = await currentSession();
    showWho();
    if (loginRoute) {
      await showLogin(decodeURIComponent(loginRoute[1] ?? '') || '#/');
    } else if (reviewRoute) {
      const [participant, day] = [decodeURIComponent(reviewRoute[1]!), reviewRoute[2]!];
      document.title = `Review · ${participant} · ${day} · Polluscope console`;
      if (session === null) throw new Error('review is not enabled on this console (REVIEW_WAREHOUSE_URL is unset)');
      if (session.reviewer === null) {
        location.replace(loginHref(location.hash));
        return;
      }
      review = new ReviewPage(page, participant, day, session, {
        width: contentWidth,
        tileUrl: settings.tileUrl,
        dayHref: dayHref(participant, day),
        onLoggedOut: () => location.replace(loginHref(location.hash)),
      });
      await review.start();
      return;
    } else if (dayRoute) {
      const [participant, day] = [decodeURIComponent(dayRoute[1]!), dayRoute[2]!];
      document.title = `${participant} · ${day} · Polluscope console`;
      const data = await getJson<ParticipantDay>(`api/participants/${encodeURIComponent(participant)}/days/${day}`);
      page.replaceChildren(
        dayView(data, { document, width: contentWidth(), tileUrl: settings.tileUrl, overviewHref: '#/', dayHref, ...(session === null ? {} : { reviewHref }) }),
      );
    } else {
      document.title = 'Participants and days · Polluscope console';
      const { participants } = await getJson<{ participants: ParticipantSummary[] }>('api/participants');
      page.replaceChildren(participantsView(participants, { document, width: contentWidth(), hrefFor: dayHref }));
    }
    document.body.dataset.state = 'ready';
  } catch (err) {
    // A session that ended (expired, logged out elsewhere): log in again, then come back.
    if (err instanceof ApiError && err.status === 401 && reviewRoute) return location.replace(loginHref(location.hash));
    showError(err);
  }
  window.scrollTo(0, 0);
}

document.addEventListener('keydown', (event) => {
  if (review?.onKey(event)) event.preventDefault();
});
window.addEventListener('hashchange', () => void show());
void show();
