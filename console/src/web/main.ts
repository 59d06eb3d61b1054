/**
 * The console's pages, routed by the URL's hash: `#/` the participants and their days,
 * `#/participants/<id>/days/<YYYY-MM-DD>` a participant's day. Data comes from the server's
 * JSON API; the drawing is the shared chart code. `body[data-state]` says loading, ready or error.
 */
import { dayView } from '../charts/day-view.js';
import { participantsView } from '../charts/participants-view.js';
import { CONSOLE_CSS } from '../charts/styles.js';
import type { ParticipantDay, ParticipantSummary } from '../day/types.js';

interface Settings {
  readonly timeZone: string;
  readonly tileUrl: string | null;
}

const page = document.getElementById('page')!;
const style = document.createElement('style');
style.textContent = CONSOLE_CSS;
document.head.append(style);

const dayHref = (participant: string, day: string) => `#/participants/${encodeURIComponent(participant)}/days/${day}`;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(`${response.status} ${body.message ?? response.statusText}`);
  }
  return (await response.json()) as T;
}

const contentWidth = () => Math.max(600, Math.min(1092, page.clientWidth - 34));

async function show(): Promise<void> {
  document.body.dataset.state = 'loading';
  const dayRoute = /^#\/participants\/([^/]+)\/days\/(\d{4}-\d{2}-\d{2})$/.exec(location.hash);
  try {
    if (dayRoute) {
      const [participant, day] = [decodeURIComponent(dayRoute[1]!), dayRoute[2]!];
      document.title = `${participant} · ${day} · Polluscope console`;
      const [settings, data] = await Promise.all([
        getJson<Settings>('api/settings'),
        getJson<ParticipantDay>(`api/participants/${encodeURIComponent(participant)}/days/${day}`),
      ]);
      page.replaceChildren(dayView(data, { document, width: contentWidth(), tileUrl: settings.tileUrl, overviewHref: '#/', dayHref }));
    } else {
      document.title = 'Participants and days · Polluscope console';
      const { participants } = await getJson<{ participants: ParticipantSummary[] }>('api/participants');
      page.replaceChildren(participantsView(participants, { document, width: contentWidth(), hrefFor: dayHref }));
    }
    document.body.dataset.state = 'ready';
  } catch (err) {
    const message = document.createElement('p');
    message.className = 'error';
    message.textContent = `Could not load this page: ${(err as Error).message}`;
    page.replaceChildren(message);
    document.body.dataset.state = 'error';
  }
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', () => void show());
void show();
