// The dashboard: loads the server's throughput history once, then polls /stats every two seconds (counters,
// throughput from the deltas), readiness every five, and the newest events whenever the counters moved. Polling rather than server-sent events: an EventSource cannot
// send the X-API-Key header that protected reads need, /stats is a few counter reads, and a plain request goes
// through any proxy or load balancer in front of several instances.
import {getJson, readiness, setApiKey, Unauthorized} from './api.js';
import {cell} from './cells.js';
import {ThroughputChart} from './chart.js';
import {showStorage} from './storage.js';

const STATS_MS = 2000;
const HEALTH_MS = 5000;
const CHART_SECONDS = 600;
const RECENT_EVENTS = 15;
const TOPIC_SUGGESTIONS = 200;

const $ = id => document.getElementById(id);
const count = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, {style: 'percent', maximumFractionDigits: 1});
/** Exported for the browser tests, which read the points it holds. */
export const chart = new ThroughputChart($('chart'), CHART_SECONDS);

/** Samples of the counters for the chart and the last minute's duplicate ratio. */
const samples = [];
/** The counters as they stood at each second of the server's history, oldest first: the last minute's ratio. */
let kept = [];
let statsTimer;
let historyLoaded = false;
let lastReceived;
let topicFilter = '';
let shownTopics = '';

function showCounters(stats) {
    $('c-received').textContent = count.format(stats.received);
    $('c-unique').textContent = count.format(stats.unique_processed);
    // Retention and erasure remove payloads, never keys: the hint says how many of the stored are gone.
    $('c-unique-hint').textContent = stats.expired || stats.erased
        ? `stored once; ${count.format(stats.expired)} expired, ${count.format(stats.erased)} erased`
        : 'stored once';
    $('c-duplicates').textContent = count.format(stats.duplicate_dropped);
    $('c-pending').textContent = count.format(stats.pending);
    $('c-conflicts').textContent = count.format(stats.conflict_dropped);
    $('c-dead').textContent = count.format(stats.dead_lettered);
    $('card-dead').classList.toggle('alert', stats.dead_lettered > 0);
    $('c-pending-hint').textContent = stats.broker.enabled
        ? `${count.format(stats.broker.backlog)} in the broker${stats.broker.available ? '' : ' (last known)'}`
        : 'queued for commit';

    // duplicate_dropped counts every repeat, conflicts included (conflict_dropped is a part of it).
    const processed = stats.unique_processed + stats.duplicate_dropped;
    const ratio = processed ? stats.duplicate_dropped / processed : 0;
    $('ratio-all').textContent = processed ? percent.format(ratio) : '–';
    $('ratio-bar').style.width = `${(ratio * 100).toFixed(1)}%`;

    const uptime = stats.uptime_seconds;
    const hours = Math.floor(uptime / 3600);
    const minutes = Math.floor(uptime % 3600 / 60);
    $('meta').textContent = `${count.format(stats.topic_count)} topics · up ${hours ? `${hours} h ` : ''}${minutes} min`
        + ` since ${new Date(stats.started_at).toLocaleString()}`
        // Said where an operator looks: without API_KEYS anyone who reaches the service can publish.
        + (stats.access.publishing === 'open' ? ' · open: anyone can publish (no API_KEYS)' : '');
}

/**
 * Fills the chart with the per-second counts the server kept (GET /stats/history), so that a reload does not start
 * it empty. They are the answering instance's: behind a load balancer, another instance's polls continue them.
 */
async function loadHistory(stats) {
    try {
        const points = (await getJson('stats/history')).points;
        if (!points.length) {
            return;
        }
        // Placed by age, the newest now: the browser's clock may differ from the server's, and the polls use it.
        const newest = Date.parse(points[points.length - 1].second);
        const now = Date.now();
        const at = p => now - (newest - Date.parse(p.second));
        chart.addAll(points.map(p => ({time: at(p), unique: p.unique_processed, duplicates: p.duplicate_dropped})));
        $('rate-now').textContent = count.format(points[points.length - 1].received);
        // Each second's counters are today's less what came after: the last minute's ratio holds from the first poll.
        let unique = stats.unique_processed;
        let dropped = stats.duplicate_dropped;
        kept = new Array(points.length);
        for (let i = points.length - 1; i >= 0; i--) {
            unique -= points[i].unique_processed;
            dropped -= points[i].duplicate_dropped;
            kept[i] = {time: at(points[i]), unique, dropped};
        }
    } catch (error) {
        // An older server without the history: the chart starts from the polls, as it did.
    }
}

/** Adds a sample; the chart plots rates between consecutive samples, which tolerates late or missed polls. */
function sample(stats) {
    const now = Date.now();
    const previous = samples[samples.length - 1];
    samples.push({time: now, unique: stats.unique_processed, dropped: stats.duplicate_dropped,
        received: stats.received});
    while (samples[0].time < now - CHART_SECONDS * 1000) {
        samples.shift();
    }
    if (previous) {
        const seconds = (now - previous.time) / 1000;
        // Clamped: behind a load balancer, instances can differ for a moment while broker entries drain.
        const rate = (after, before) => Math.max(0, after - before) / seconds;
        chart.add(now, rate(stats.unique_processed, previous.unique), rate(stats.duplicate_dropped, previous.dropped));
        $('rate-now').textContent = count.format(Math.round(rate(stats.received, previous.received)));
    } else if (!kept.length) {
        return;
    }

    // The server's history first (it is older than any poll), then the polls once it is past a minute old.
    const minuteAgo = kept.find(s => s.time >= now - 60000) ?? samples.find(s => s.time >= now - 60000);
    const recentUnique = stats.unique_processed - minuteAgo.unique;
    const recentDropped = stats.duplicate_dropped - minuteAgo.dropped;
    $('ratio-recent').textContent = recentUnique + recentDropped > 0
        ? percent.format(recentDropped / (recentUnique + recentDropped)) : 'no events';
}

// The first topics by name (one page of /stats), the busiest of them first.
function suggestTopics(stats) {
    const names = [...stats.topics]
        .sort((a, b) => (b.unique + b.duplicates) - (a.unique + a.duplicates))
        .slice(0, TOPIC_SUGGESTIONS).map(t => t.name);
    const key = names.join('\n');
    if (key !== shownTopics) {
        shownTopics = key;
        $('topics').replaceChildren(...names.map(name => new Option(name)));
    }
}

function setLive(ok, text) {
    $('live').className = ok ? 'live ok' : 'live down';
    $('live-text').textContent = text;
}

function askForKey(error) {
    $('key-panel').hidden = false;
    $('key-error').textContent = error.hadKey ? 'That key was refused; check it and try again.' : '';
    setLive(false, 'Waiting for an API key');
}

async function pollStats() {
    clearTimeout(statsTimer);
    try {
        const stats = await getJson(`stats?topics_limit=${TOPIC_SUGGESTIONS}`);
        $('key-panel').hidden = true;
        if (!historyLoaded) {
            historyLoaded = true;
            await loadHistory(stats);
        }
        showCounters(stats);
        showStorage(stats.storage);
        sample(stats);
        suggestTopics(stats);
        setLive(true, `Live · updated ${new Date().toLocaleTimeString()}`);
        if (stats.received !== lastReceived) {
            lastReceived = stats.received;
            await refreshEvents();
        }
    } catch (error) {
        if (error instanceof Unauthorized) {
            askForKey(error);
        } else {
            setLive(false, 'Server unreachable · retrying');
        }
    }
    // Cleared again: a poll started by the key form may have run meanwhile, and one timer chain must remain.
    clearTimeout(statsTimer);
    statsTimer = setTimeout(pollStats, STATS_MS);
}

function showCheck(check) {
    const item = $(`h-${check.name}`);
    if (!item) {
        return;
    }
    const data = check.data || {};
    const off = check.name === 'broker' && data.enabled === false;
    const badge = item.querySelector('.badge');
    badge.textContent = off ? 'OFF' : check.status;
    badge.className = `badge ${off ? '' : check.status.toLowerCase()}`;
    let detail = data.error || '';
    if (!detail) {
        detail = check.name === 'database' ? data.dialect
            : check.name === 'broker' ? (off ? 'not configured (no REDIS_URL)' : `stream ${data.stream}`)
                : `${count.format(data.pending)} of ${count.format(data.capacity)} queued`;
    }
    item.querySelector('.detail').textContent = detail;
}

async function pollHealth() {
    try {
        (await readiness()).checks.forEach(showCheck);
    } catch (error) {
        document.querySelectorAll('#health .badge').forEach(badge => {
            badge.textContent = '?';
            badge.className = 'badge down';
        });
    }
    setTimeout(pollHealth, HEALTH_MS);
}

function eventRow(event) {
    const row = document.createElement('tr');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'event-link';
    open.textContent = event.event_id;
    open.addEventListener('click', () => showEvent(event));
    const id = document.createElement('td');
    id.append(open);
    row.append(cell(new Date(event.received_at).toLocaleTimeString()), cell(event.topic, 'topic'), id,
        cell(event.source, 'source'), cell(String(event.seq), 'num'));
    return row;
}

async function refreshEvents() {
    const query = new URLSearchParams({order: 'desc', limit: RECENT_EVENTS});
    if (topicFilter) {
        query.set('topic', topicFilter);
    }
    const page = await getJson(`events?${query}`);
    $('events').tBodies[0].replaceChildren(...page.events.map(eventRow));
    $('events-empty').hidden = page.events.length > 0;
    $('events-empty').textContent = topicFilter ? `No events stored in topic “${topicFilter}”.` : 'No events stored yet.';
}

function showEvent(event) {
    $('payload-title').textContent = event.event_id;
    const meta = [['Topic', event.topic], ['Source', event.source], ['Timestamp', event.timestamp],
        ['Received', event.received_at], ['Seq', String(event.seq)]];
    if (event.cloudevents) {
        meta.push(['CloudEvents', JSON.stringify(event.cloudevents)]);
    }
    $('payload-meta').replaceChildren(...meta.flatMap(([name, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = name;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
    }));
    $('payload-json').textContent = JSON.stringify(event.payload, null, 2);
    $('payload-dialog').showModal();
}

$('filter-form').addEventListener('submit', event => {
    event.preventDefault();
    topicFilter = $('topic-filter').value.trim();
    refreshEvents().catch(() => setLive(false, 'Could not load events'));
});
// The search field's clear button sends "search" with an empty value: back to all topics.
$('topic-filter').addEventListener('search', () => {
    if (!$('topic-filter').value && topicFilter) {
        topicFilter = '';
        refreshEvents().catch(() => setLive(false, 'Could not load events'));
    }
});
$('key-form').addEventListener('submit', event => {
    event.preventDefault();
    setApiKey($('key-input').value.trim());
    $('key-input').value = '';
    lastReceived = undefined;
    pollStats();
});

pollStats();
pollHealth();
