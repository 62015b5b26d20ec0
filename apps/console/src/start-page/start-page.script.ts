/**
 * The start page's script, served as /start-page.js. It reads only what the console's own routes
 * answer (`/auth/me`, `/api/...`): it never sees a token, which stays in the server's session.
 * Text goes in with `textContent`, never as HTML.
 */
export const startPageScript = `'use strict';
const roleNames = { soc_admin: 'SOC-administrator', soc_analyst: 'SOC-analytiker', kl_reporter: 'KL-rapportør', member: 'Kommune' };
const byId = (id) => document.getElementById(id);
const status = byId('status');

function row(cells) {
  const tr = document.createElement('tr');
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }
  return tr;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.message || response.statusText), { status: response.status });
  return body;
}

async function showAlerts() {
  const { alerts } = await getJson('/api/alerting/alerts?size=20');
  const rows = byId('alert-rows');
  for (const a of alerts) {
    const tr = row([a.organization.id, a.rule.title, a.severity, a.status, new Date(a.last_seen).toLocaleString('da-DK')]);
    tr.dataset.alertId = a.id;
    tr.dataset.member = a.organization.id;
    rows.appendChild(tr);
  }
  byId('alerts').hidden = false;
  status.textContent = alerts.length === 0 ? 'Ingen alarmer.' : alerts.length + ' alarmer.';
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

async function showStatistics() {
  const to = new Date();
  const from = new Date(to.getTime() - 6 * 86400000);
  const report = await getJson('/api/alerting/v1/statistics/attempts?from=' + isoDay(from) + '&to=' + isoDay(to));
  const rows = byId('statistics-rows');
  for (const cell of report.cells) {
    rows.appendChild(
      cell.suppressed
        ? row([cell.bucket, 'skjult', 'skjult', 'skjult', 'skjult'])
        : row([cell.bucket, String(cell.municipalities), String(cell.attempts), String(cell.distribution.median), Math.round(cell.share_above_threshold * 100) + ' %']),
    );
  }
  byId('statistics').hidden = false;
  status.textContent = 'Statistik for ' + report.cells.length + ' dage.';
}

async function start() {
  let me;
  try {
    me = await getJson('/auth/me');
  } catch (error) {
    if (error.status !== 401) throw error;
    byId('login').hidden = false;
    status.textContent = 'Du er ikke logget ind.';
    return;
  }
  byId('who').textContent = me.name + ' · ' + (roleNames[me.role] || me.role) + (me.member_id ? ' (' + me.member_id + ')' : '');
  byId('who').dataset.role = me.role;
  byId('signed-in').hidden = false;
  if (me.role === 'kl_reporter') await showStatistics();
  else await showAlerts();
}

start().catch((error) => {
  status.textContent = 'Fejl: ' + error.message;
  status.className = 'error';
});
`;
