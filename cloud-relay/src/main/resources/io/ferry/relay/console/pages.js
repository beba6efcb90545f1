// The console's pages. Each renders into `main` from the admin API; every value from the API goes into
// the page as text (dom.js), never as HTML.
import {api, adminKeyId, cursorOf} from './api.js';
import {el, mount, table, badge, when, ago, fields} from './dom.js';

const JOB_STATES = ['QUEUED', 'LEASED', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'DEAD', 'CANCELLED'];
const RETRYABLE = ['FAILED', 'DEAD', 'EXPIRED'];

function heading(title, ...tools) {
  return [el('h1', {}, title), el('div', {class: 'toolbar'}, tools)];
}

function refreshButton(onClick) {
  const b = el('button', {type: 'button', id: 'refresh'}, 'Refresh');
  b.addEventListener('click', onClick);
  return b;
}

function jobLink(id) {
  return el('a', {href: '#/jobs/' + encodeURIComponent(id), 'data-job-id': id, class: 'mono'}, id);
}

// ------------------------------------------------------------------ agents

export async function agents(main) {
  const data = await api('/agents');
  const rows = data.agents.map(a => el('tr', {'data-agent-id': a.id},
    el('td', {class: 'mono'}, a.id),
    el('td', {}, a.name || a.hostname || '–', a.hostname && a.name && a.name !== a.hostname ? ' (' + a.hostname + ')' : ''),
    el('td', {}, a.group),
    el('td', {}, a.disabledAt ? badge('disabled') : a.online ? badge('online') : badge('offline')),
    el('td', {}, a.version || 'unknown'),
    el('td', {}, a.backend || '–'),
    el('td', {title: when(a.lastSeen)}, ago(a.lastSeen)),
    el('td', {class: 'in-flight'}, String(a.inFlight)),
    el('td', {class: 'note'}, 'not reported')));
  mount(main,
    ...heading('Agents', refreshButton(() => agents(main)),
      el('span', {class: 'note'}, 'An agent is online while its polls and heartbeats reach the relay.')),
    table('agents', ['Id', 'Name', 'Group', 'Status', 'Version', 'SAP backend', 'Last seen', 'In flight', 'SAP health'],
      rows, 'No agent is enrolled yet: make an enrollment token with ferry admin agents enroll.'));
}

// ------------------------------------------------------------------ jobs

export async function jobs(main, params, tenant) {
  const state = JOB_STATES.includes(params.get('state')) ? params.get('state') : '';
  const cursor = params.get('cursor');
  let query = '?limit=50';
  if (state) query += '&state=' + state;
  if (cursor && /^[0-9A-Z]{26}$/.test(cursor)) query += '&cursor=' + cursor;
  const data = await api('/jobs' + query);

  const select = el('select', {id: 'job-state-filter', 'aria-label': 'State'},
    el('option', {value: ''}, 'every state'),
    JOB_STATES.map(s => el('option', {value: s, selected: s === state}, s)));
  select.addEventListener('change', () => {
    location.hash = '#/jobs' + (select.value ? '?state=' + select.value : '');
  });
  const tenantNote = el('span', {class: 'note', id: 'tenant-filter'},
    'Tenant: ' + (tenant ? tenant.name : '–') + ' — an admin key sees its own tenant only.');

  const rows = data.value.map(j => el('tr', {'data-job-row': j.id},
    el('td', {}, jobLink(j.id)),
    el('td', {}, j.action),
    el('td', {}, badge(j.state)),
    el('td', {}, String(j.attempt)),
    el('td', {}, when(j.createdAt)),
    el('td', {}, when(j.updatedAt)),
    el('td', {class: 'mono'}, j.agentId || '–'),
    el('td', {class: 'error-summary'}, j.error ? [j.error.code ? el('span', {class: 'mono'}, j.error.code + ' ') : null,
      j.error.message || ''] : '')));
  const next = cursorOf(data.nextLink);
  const more = next ? el('a', {id: 'next-page', href: '#/jobs?' + new URLSearchParams(
    Object.assign(state ? {state} : {}, {cursor: next})).toString()}, 'Older jobs →') : null;
  mount(main,
    ...heading('Jobs', el('label', {}, 'State ', select), refreshButton(() => jobs(main, params, tenant)), tenantNote),
    table('jobs', ['Id', 'Action', 'State', 'Attempt', 'Created', 'Updated', 'Agent', 'Error'], rows,
      'No job' + (state ? ' in state ' + state : '') + '.'),
    more ? el('p', {}, more) : null);
}

function sapMessages(problem) {
  const messages = (problem && problem.sapMessages) || [];
  if (messages.length === 0) return el('p', {class: 'note', id: 'sap-messages-empty'}, 'SAP sent no messages.');
  return table('sap-messages', ['Type', 'Class', 'Number', 'Message'],
    messages.map(m => el('tr', {class: 'sap-message'},
      el('td', {}, m.type || ''), el('td', {class: 'mono'}, m.id || ''), el('td', {class: 'mono'}, m.number || ''),
      el('td', {class: 'sap-message-text'}, m.message || ''))));
}

export async function job(main, id) {
  const j = await api('/jobs/' + encodeURIComponent(id));
  const actions = [];
  const status = el('p', {id: 'job-action-status', role: 'status'});
  if (RETRYABLE.includes(j.state)) {
    const retry = el('button', {type: 'button', id: 'retry-job'}, 'Retry');
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      try {
        const made = await api('/jobs/' + encodeURIComponent(j.id) + '/retry', 'POST', {});
        location.hash = '#/jobs/' + encodeURIComponent(made.id);
      } catch (e) {
        status.className = 'error';
        status.textContent = e.message;
        retry.disabled = false;
      }
    });
    actions.push(retry, el('span', {class: 'note'}, 'Retry asks SAP again as a new job; this one keeps its state.'));
  }
  if (j.state === 'QUEUED' && j.attempt === 0) {
    const cancel = el('button', {type: 'button', id: 'cancel-job', class: 'danger'}, 'Cancel');
    cancel.addEventListener('click', async () => {
      if (!confirm('Cancel job ' + j.id + '? No agent has taken it yet.')) return;
      try {
        await api('/jobs/' + encodeURIComponent(j.id) + '/cancel', 'POST', {});
        job(main, id);
      } catch (e) {
        status.className = 'error';
        status.textContent = e.message;
      }
    });
    actions.push(cancel);
  }
  const problem = j.problem;
  mount(main,
    ...heading('Job ' + j.id, el('a', {href: '#/jobs'}, '← all jobs'), refreshButton(() => job(main, id)), ...actions),
    status,
    fields([
      ['State', el('span', {id: 'job-state'}, badge(j.state))],
      ['Action', j.action],
      ['Attempt', String(j.attempt)],
      ['Created', when(j.createdAt)],
      ['Updated', when(j.updatedAt)],
      ['Finished', when(j.finishedAt)],
      ['Deadline', when(j.deadline)],
      ['Agent', j.agentId || '–'],
      ['Agent group', j.agentGroup || 'any'],
      j.retryOf ? ['Retry of', jobLink(j.retryOf)] : null,
      ['Trace', j.traceparent || '–'],
      ['Answer', j.httpStatus ? String(j.httpStatus) : 'not yet'],
    ]),
    problem ? [
      el('h2', {}, 'Problem'),
      fields([
        ['Code', el('span', {class: 'mono', id: 'problem-code'}, problem.code || '–')],
        ['Title', problem.title || '–'],
        ['Detail', el('span', {id: 'problem-detail'}, problem.detail || '–')],
      ]),
      el('h2', {}, 'SAP messages'),
      sapMessages(problem),
    ] : null,
    j.result ? [el('h2', {}, 'Result'), el('pre', {id: 'job-result'}, JSON.stringify(j.result, null, 2))] : null,
    el('h2', {}, 'Request'),
    el('pre', {id: 'job-request'}, JSON.stringify(j.request, null, 2)));
}

// ------------------------------------------------------------------ keys

export async function keys(main) {
  const data = await api('/keys');
  const mine = adminKeyId();
  const status = el('p', {id: 'key-action-status', role: 'status'});
  const rows = data.keys.map(k => {
    const now = Date.now();
    const state = k.revokedAt ? badge('revoked') : k.expiresAt && new Date(k.expiresAt).getTime() <= now
      ? badge('expired') : badge('active', 'online');
    let action = '';
    if (!k.revokedAt) {
      const revoke = el('button', {type: 'button', class: 'danger', 'data-revoke': k.id}, 'Revoke');
      revoke.addEventListener('click', async () => {
        const warning = k.id === mine ? ' This is the key you signed in with: the console will sign you out.' : '';
        if (!confirm('Revoke API key ' + k.id + '? Its next request is refused.' + warning)) return;
        try {
          await api('/keys/' + encodeURIComponent(k.id), 'DELETE');
          if (k.id === mine) {
            location.hash = '#/signed-out';
            location.reload();
            return;
          }
          keys(main);
        } catch (e) {
          status.className = 'error';
          status.textContent = e.message;
        }
      });
      action = revoke;
    }
    return el('tr', {'data-key-id': k.id},
      el('td', {class: 'mono'}, k.id, k.id === mine ? el('span', {class: 'note'}, ' (this key)') : null),
      el('td', {}, (k.scopes || []).join(' ')),
      el('td', {}, state),
      el('td', {}, when(k.createdAt)),
      el('td', {}, when(k.expiresAt)),
      el('td', {}, when(k.revokedAt)),
      el('td', {}, action));
  });
  mount(main,
    ...heading('API keys', refreshButton(() => keys(main)),
      el('span', {class: 'note'}, 'Keys are shown once when made (ferry admin keys create); the relay keeps only hashes.')),
    status,
    table('keys', ['Id', 'Scopes', 'State', 'Created', 'Expires', 'Revoked', ''], rows));
}

// ------------------------------------------------------------------ batches

/** What a batch's records are, as a person says it. */
function objectName(object) {
  return object === 'salesorder' ? 'Sales orders' : 'Customers';
}

function counts(c) {
  return c ? c.succeeded + ' ok, ' + c.failed + ' failed, ' + (c.queued + c.running) + ' open, ' + c.skipped
    + ' skipped of ' + c.total : '–';
}

export async function batches(main, params) {
  const cursor = params.get('cursor');
  const data = await api('/batches?limit=50' + (cursor && /^[0-9A-Z]{26}$/.test(cursor) ? '&cursor=' + cursor : ''));
  const rows = data.value.map(b => el('tr', {'data-batch-id': b.id},
    el('td', {}, el('a', {href: '#/batches/' + encodeURIComponent(b.id), class: 'mono'}, b.id)),
    el('td', {}, objectName(b.object)), el('td', {}, b.mode), el('td', {}, b.errorHandling), el('td', {}, badge(b.state)),
    el('td', {}, counts(b.counts)), el('td', {}, when(b.createdAt)), el('td', {}, when(b.finishedAt))));
  const next = cursorOf(data.nextLink);
  mount(main,
    ...heading('Batches', refreshButton(() => batches(main, params))),
    table('batches', ['Id', 'Records of', 'Mode', 'On failure', 'State', 'Records', 'Created', 'Finished'], rows,
      'No batch yet.'),
    next ? el('p', {}, el('a', {href: '#/batches?cursor=' + next}, 'Older batches →')) : null);
}

export async function batch(main, id) {
  const data = await api('/batches/' + encodeURIComponent(id));
  const b = data.batch;
  // A sales-order record's customer reference and order number stand where a customer's id and number do.
  const orders = b.object === 'salesorder';
  const rows = data.failedRecords.map(r => el('tr', {},
    el('td', {}, String(r.recordIndex)), el('td', {}, r.externalId || '–'), el('td', {}, r.customerNumber || '–'),
    el('td', {}, r.jobId ? jobLink(r.jobId) : 'refused at intake'),
    el('td', {}, r.problem ? ((r.problem.sapMessages && r.problem.sapMessages.length
      ? r.problem.sapMessages[0].message : r.problem.detail) || '') : '')));
  mount(main,
    ...heading('Batch ' + b.id, el('a', {href: '#/batches'}, '← all batches'), refreshButton(() => batch(main, id))),
    fields([['Records of', objectName(b.object)], ['State', badge(b.state)], ['Mode', b.mode],
      ['On failure', b.errorHandling],
      ['Records', counts(b.counts)], ['Created', when(b.createdAt)], ['Finished', when(b.finishedAt)]]),
    el('h2', {}, 'Failed records'),
    table('batch-failures', orders ? ['Record', 'Customer reference', 'Sales order', 'Job', 'Problem']
      : ['Record', 'External id', 'Customer', 'Job', 'Problem'], rows, 'No record failed.'),
    data.failedRecords.length >= 50 ? el('p', {class: 'note'}, 'The first 50 failed records; GET /v1/'
      + (orders ? 'sales-order' : 'customer') + '-batches/{id}/results has them all.') : null);
}
