// The webhook subscriptions card: each subscription's state and delivery, refreshed every five seconds. The card
// stays hidden while there are none (or reads are refused: the stats poll asks for the key).
import {getJson} from './api.js';
import {cell} from './cells.js';

const REFRESH_MS = 5000;
const count = new Intl.NumberFormat();
const $ = id => document.getElementById(id);

function when(instant) {
    return instant ? new Date(instant).toLocaleTimeString() : '—';
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
        cell(when(delivery.last_success_at)), cell(error, 'error'), cell(count.format(delivery.dead_letters), 'num'));
    return tr;
}

async function refresh() {
    try {
        const list = await getJson('subscriptions');
        $('subscriptions').tBodies[0].replaceChildren(...list.subscriptions.map(row));
        $('subscriptions-card').hidden = list.subscriptions.length === 0;
    } catch (error) {
        $('subscriptions-card').hidden = true;
    }
    setTimeout(refresh, REFRESH_MS);
}

refresh();
