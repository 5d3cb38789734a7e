// The storage card: what the stored payloads and remembered keys take, and when retention next removes payloads,
// from the storage object of /stats (as the last retention pass read it, so polling it costs the database nothing).
const count = new Intl.NumberFormat();
const $ = id => document.getElementById(id);
const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units; sizes are reported on PostgreSQL only, so 0 says "not reported". */
function size(bytes) {
    if (!(bytes > 0)) {
        return 'size not reported';
    }
    const unit = Math.min(UNITS.length - 1, Math.floor(Math.log2(bytes) / 10));
    const value = bytes / 1024 ** unit;
    return `${value.toLocaleString(undefined, {maximumFractionDigits: unit && value < 10 ? 1 : 0})} ${UNITS[unit]}`;
}

function when(instant, none) {
    return instant ? new Date(instant).toLocaleString() : none;
}

/** Shows /stats' storage object; leaves the card as it is when the server has none. */
export function showStorage(storage) {
    if (!storage) {
        return;
    }
    $('s-payloads').textContent = count.format(storage.payload_rows);
    $('s-payloads-size').textContent = size(storage.payload_bytes);
    $('s-keys').textContent = count.format(storage.key_rows);
    $('s-keys-size').textContent = size(storage.key_bytes);
    $('s-oldest').textContent = when(storage.oldest_payload, '—');
    $('s-expiry').textContent = when(storage.next_expiry, 'none scheduled');
}
