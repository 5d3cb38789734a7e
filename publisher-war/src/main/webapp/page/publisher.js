// Polls the run shown twice a second until it ends; the list of runs refreshes when a run starts or ends.
// With API_KEYS set, the runs API needs a key: the page asks for one on a 401 and sends it as X-API-Key.
const $ = id => document.getElementById(id);
const n = new Intl.NumberFormat();
const FINAL = ['succeeded', 'failed', 'cancelled'];
// The dashboard's storage name: on a server with both, a key given to one page serves the other too.
const KEY_STORAGE = 'aggregator-api-key';
let shown = null;
let timer;

async function call(url, options = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const headers = {...options.headers, ...(key ? {'X-API-Key': key} : {})};
  const response = await fetch(url, {cache: 'no-store', ...options, headers});
  if (response.status === 401) {
    askForKey(key !== null);
    throw new Error(key ? 'the API key was refused' : 'an API key is needed');
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.errors ? body.errors.join('; ') : `${response.status} ${body.title || ''}`);
  }
  return {body, location: response.headers.get('Location')};
}

function settings() {
  const body = {};
  for (const name of ['count', 'batch_size', 'concurrency', 'rate', 'seed']) {
    if ($(name).value !== '') body[name] = Number($(name).value);
  }
  body.duplicate_ratio = Number($('duplicate_ratio').value);
  const topics = $('topics').value.trim();
  body.topics = /^\d+$/.test(topics) ? Number(topics) : topics.split(',').map(t => t.trim()).filter(Boolean);
  body.mode = $('mode').value;
  if ($('target').value.trim()) body.target = $('target').value.trim();
  return body;
}

function show(run) {
  $('no-run').hidden = true;
  $('run').hidden = false;
  $('run-id').textContent = run.id;
  $('run-state').textContent = run.state.replaceAll('_', ' ');
  $('run-state').className = `state ${run.state}`;
  $('run-target').textContent = `→ ${run.settings.target} (${run.settings.mode})`;
  $('run-progress').max = run.settings.count;
  $('run-progress').value = run.sent;
  $('f-sent').textContent = `${n.format(run.sent)} / ${n.format(run.settings.count)}`;
  $('f-acknowledged').textContent = n.format(run.acknowledged);
  $('f-retried').textContent = n.format(run.retried);
  $('f-failed').textContent = n.format(run.failed);
  $('f-rate').textContent = n.format(run.events_per_second);
  $('f-elapsed').textContent = `${run.elapsed_seconds.toFixed(1)} s`;
  $('f-eta').textContent = run.eta_seconds === null ? '–' : `${run.eta_seconds} s`;
  $('run-error').textContent = run.error || '';
  $('cancel').hidden = FINAL.includes(run.state);
  const audit = run.audit;
  $('audit').hidden = !audit;
  if (audit) {
    $('audit-verdict').textContent = audit.exactly_once ? '✓ Exactly once' : '✗ Not exactly once';
    $('audit-verdict').className = `verdict ${audit.exactly_once ? 'yes' : 'no'}`;
    $('a-expected-unique').textContent = n.format(audit.expected_unique);
    $('a-reported-stored').textContent = n.format(audit.reported_stored);
    $('a-stats-unique').textContent = n.format(audit.stats_unique_delta);
    $('a-expected-duplicates').textContent = n.format(audit.expected_duplicates);
    $('a-reported-duplicates').textContent = n.format(audit.reported_duplicates);
    $('a-stats-duplicates').textContent = n.format(audit.stats_duplicate_delta);
    $('a-keys').textContent = audit.keys_checked
      ? `${n.format(audit.keys_checked)} events looked up one by one, ${n.format(audit.keys_missing)} missing`
      : 'Too many events to look up one by one; counts compared.';
    $('a-differences').replaceChildren(...audit.differences.map(text => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }));
  }
}

async function watch(url) {
  clearTimeout(timer);
  shown = url;
  try {
    const {body: run} = await call(url);
    if (url !== shown) return;
    show(run);
    if (FINAL.includes(run.state)) {
      listRuns();
    } else {
      timer = setTimeout(() => watch(url), 500);
    }
  } catch (error) {
    $('run-error').textContent = `Could not read the run: ${error.message}`;
    timer = setTimeout(() => watch(url), 2000);
  }
}

async function listRuns() {
  const {body} = await call('runs');
  $('runs').replaceChildren(...body.runs.map(run => {
    const row = document.createElement('tr');
    row.className = 'pick';
    row.tabIndex = 0;
    row.title = `Show run ${run.id}`;
    const cells = [new Date(run.created_at).toLocaleString(), run.state.replaceAll('_', ' '),
      n.format(run.settings.count), run.settings.mode, n.format(run.acknowledged),
      run.audit ? (run.audit.exactly_once ? 'yes' : 'no') : '–'];
    row.replaceChildren(...cells.map(text => {
      const td = document.createElement('td');
      td.textContent = text;
      return td;
    }));
    const pick = () => watch(`runs/${encodeURIComponent(run.id)}`);
    row.addEventListener('click', pick);
    row.addEventListener('keydown', event => { if (event.key === 'Enter') pick(); });
    return row;
  }));
}

$('run-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('form-error').textContent = '';
  $('start').disabled = true;
  try {
    const {location} = await call('runs', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(settings())});
    listRuns();
    watch(location);
  } catch (error) {
    $('form-error').textContent = error.message;
  } finally {
    $('start').disabled = false;
  }
});

function askForKey(refused) {
  $('key-form').hidden = false;
  $('key-reason').textContent = refused ? 'the API key was refused; enter another'
    : "runs need one of the server's API_KEYS; kept in this tab only";
}

/** Kept for this tab only (sessionStorage), as the dashboard keeps it. */
$('key-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim());
  $('api-key').value = '';
  $('key-form').hidden = true;
  $('form-error').textContent = '';
  listRuns().catch(error => { $('form-error').textContent = error.message; });
  if (shown) watch(shown);
});

$('cancel').addEventListener('click', () => call(shown, {method: 'DELETE'}).then(() => watch(shown),
  error => { $('run-error').textContent = error.message; }));

listRuns().catch(error => { $('form-error').textContent = `The publisher did not answer: ${error.message}`; });
