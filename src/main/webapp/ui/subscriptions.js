// The webhook subscriptions card: each subscription's state, delivery and lag, refreshed every five seconds. The
// lag is counted per subscription (GET /subscriptions/{id}), so only the first SHOWN are listed. The card stays
// hidden while there are none (or reads are refused: the stats poll asks for the key).
import {getJson} from './api.js';
import {cell} from './cells.js';

const REFRESH_MS = 5000;
const SHOWN = 20;
const count = new Intl.NumberFormat();
const $ = id => document.getElementById(id);

function when(instant) {
    return instant ? new Date(instant).toLocaleTimeString() : '—';
}

function lag(delivery) {
    const events = count.format(delivery.lag_events) + (delivery.lag_events_capped ? '+' : '');
    return delivery.lag_events === 0 ? '0' : `${events} · ${delivery.lag_seconds.toFixed(1)} s`;
}

function row(subscription) {
    const delivery = subscription.delivery;
    const state = cell(subscription.state, `state ${subscription.state}`);
    if (subscription.state_reason) {
        state.title = subscription.state_reason;
    }
    const error = delivery.last_error ? `${delivery.last_error} (${when(delivery.last_error_at)})` : '—';
    const tr = document.createElement('tr');
    tr.append(cell(subscription.url, 'url'), cell(subscription.topics ? subscription.topics.join(', ') : 'all', 'topic'),
        state, cell(count.format(delivery.delivered), 'num'), cell(count.format(delivery.failures_in_a_row), 'num'),
        cell(lag(delivery), 'num'), cell(when(delivery.last_success_at)), cell(error, 'error'),
        cell(count.format(delivery.dead_letters), 'num'));
    return tr;
}

async function refresh() {
    try {
        const list = await getJson('subscriptions');
        const shown = await Promise.all(list.subscriptions.slice(0, SHOWN)
            .map(subscription => getJson(`subscriptions/${encodeURIComponent(subscription.id)}`)));
        $('subscriptions').tBodies[0].replaceChildren(...shown.map(row));
        $('subscriptions-card').hidden = list.subscriptions.length === 0;
    } catch (error) {
        $('subscriptions-card').hidden = true;
    }
    setTimeout(refresh, REFRESH_MS);
}

refresh();
