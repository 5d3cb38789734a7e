// Throughput chart on a canvas: stored and duplicate events per second, stacked, over a sliding window.

const PAD = {left: 52, right: 12, top: 10, bottom: 24};
/** Intervals of the value axis: five keep 1, 2 and 5 times a power of ten on round ticks. */
const GRID_LINES = 5;

/** Rounds up to 1, 2 or 5 times a power of ten, so that the axis reads well. */
function niceCeiling(value) {
    if (value <= 0) {
        return 10;
    }
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map(f => f * power).find(step => step >= value);
}

export class ThroughputChart {
    /** @param canvas the canvas to draw on; @param windowSeconds how much history it shows */
    constructor(canvas, windowSeconds) {
        this.canvas = canvas;
        this.windowMs = windowSeconds * 1000;
        this.points = [];
        this.format = new Intl.NumberFormat(undefined, {notation: 'compact', maximumFractionDigits: 1});
        new ResizeObserver(() => this.draw()).observe(canvas);
    }

    /** One sample: events per second stored and dropped as duplicates (or conflicts) since the previous one. */
    add(time, unique, duplicates) {
        this.addAll([{time, unique, duplicates}]);
    }

    /** Samples in time order, drawn once (the server's history on a page load is hundreds of them). */
    addAll(samples) {
        if (!samples.length) {
            return;
        }
        this.points.push(...samples);
        const oldest = samples[samples.length - 1].time - this.windowMs;
        const kept = this.points.findIndex(p => p.time >= oldest);
        this.points.splice(0, kept < 0 ? this.points.length : kept);
        this.draw();
    }

    draw() {
        const canvas = this.canvas;
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.clientWidth;
        const height = canvas.clientHeight;
        if (width === 0) {
            return;
        }
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        const g = canvas.getContext('2d');
        g.setTransform(ratio, 0, 0, ratio, 0, 0);
        g.clearRect(0, 0, width, height);

        const style = getComputedStyle(canvas);
        const color = name => style.getPropertyValue(name).trim();
        const plotW = width - PAD.left - PAD.right;
        const plotH = height - PAD.top - PAD.bottom;
        const now = this.points.length ? this.points[this.points.length - 1].time : Date.now();
        const max = niceCeiling(Math.max(0, ...this.points.map(p => p.unique + p.duplicates)));
        const x = time => PAD.left + plotW * (1 - (now - time) / this.windowMs);
        const y = value => PAD.top + plotH * (1 - value / max);

        g.font = `12px ${style.fontFamily}`;
        g.fillStyle = color('--muted');
        g.strokeStyle = color('--border');
        g.lineWidth = 1;
        g.textAlign = 'right';
        g.textBaseline = 'middle';
        for (let i = 0; i <= GRID_LINES; i++) {
            const value = max * i / GRID_LINES;
            const py = Math.round(y(value)) + 0.5;
            g.beginPath();
            g.moveTo(PAD.left, py);
            g.lineTo(width - PAD.right, py);
            g.stroke();
            g.fillText(this.format.format(value), PAD.left - 8, py);
        }
        g.textAlign = 'center';
        g.textBaseline = 'top';
        const minutes = this.windowMs / 60000;
        // A label every minute up to five, every other minute beyond, so that they stay apart.
        const step = minutes > 5 ? 2 : 1;
        for (let m = minutes; m >= 0; m -= step) {
            g.fillText(m === 0 ? 'now' : `−${m} min`, x(now - m * 60000), height - PAD.bottom + 8);
        }

        if (this.points.length < 2) {
            return;
        }
        this.area(g, x, y, p => p.unique + p.duplicates, p => p.unique, color('--duplicate'));
        this.area(g, x, y, p => p.unique, () => 0, color('--unique'));
    }

    /** Fills between two series (upper and lower) and strokes the upper edge. */
    area(g, x, y, upper, lower, fill) {
        const points = this.points;
        g.beginPath();
        points.forEach((p, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(p.time), y(upper(p))));
        for (let i = points.length - 1; i >= 0; i--) {
            g.lineTo(x(points[i].time), y(lower(points[i])));
        }
        g.closePath();
        g.globalAlpha = 0.28;
        g.fillStyle = fill;
        g.fill();
        g.globalAlpha = 1;
        g.beginPath();
        points.forEach((p, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(p.time), y(upper(p))));
        g.strokeStyle = fill;
        g.lineWidth = 2;
        g.stroke();
    }
}
