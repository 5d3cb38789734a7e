package org.libertyevents.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: its figures (each with its ratio to the ceiling and its target where it has them),
 * the exactness check of its counts, the server's CPU and memory while it ran, and where the CPU of each measured
 * phase went.
 */
final class Result {

    /** One measured figure; {@code ratio} and {@code met} are null where they do not apply. */
    record Figure(String measure, double value, String unit, Double ratio, String target, Boolean met) {
    }

    private final String scenario;
    private final String measures;
    /** One measured phase: what it sent, and the CPU it took the server, PostgreSQL and the load generator. */
    record Cost(String phase, long requests, long events, CpuMeter.Shares cpu) {

        double serverMicrosPerRequest() {
            return cpu.serverSeconds() * 1e6 / requests;
        }

        double serverMicrosPerEvent() {
            return cpu.serverSeconds() * 1e6 / events;
        }

        /** The share of the server's CPU its JIT compiler threads took: how far from warm the phase was. */
        double serverJitShare() {
            return cpu.serverJitSeconds() / cpu.serverSeconds();
        }

        /** The share of the server's CPU its garbage collector's threads took. */
        double serverGcShare() {
            return cpu.serverGcSeconds() / cpu.serverSeconds();
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final List<Cost> costs = new ArrayList<>();
    private final Map<String, Object> counts = new LinkedHashMap<>();
    private String countProblem;
    private String skipped;
    private ServerProbe.Figures server;

    Result(String scenario, String measures) {
        this.scenario = scenario;
        this.measures = measures;
    }

    static Result skipped(String scenario, String measures, String why) {
        Result result = new Result(scenario, measures);
        result.skipped = why;
        return result;
    }

    void figure(String measure, double value, String unit, Double ratio, String target, Boolean met) {
        figures.add(new Figure(measure, value, unit, ratio, target, met));
    }

    void cost(String phase, long requests, long events, CpuMeter.Shares cpu) {
        costs.add(new Cost(phase, requests, events, cpu));
    }

    void count(String name, Object value) {
        counts.put(name, value);
    }

    /** Records a mismatch between what was sent, what the answers said and what the server counted. */
    void expect(String what, long expected, long actual) {
        if (expected != actual && countProblem == null) {
            countProblem = what + ": expected " + expected + ", got " + actual;
        }
    }

    void server(ServerProbe.Figures figures) {
        this.server = figures;
    }

    String scenario() {
        return scenario;
    }

    String measures() {
        return measures;
    }

    List<Figure> figures() {
        return figures;
    }

    List<Cost> costs() {
        return costs;
    }

    Map<String, Object> counts() {
        return counts;
    }

    /** Null when every count was exact. */
    String countProblem() {
        return countProblem;
    }

    String skippedBecause() {
        return skipped;
    }

    ServerProbe.Figures serverFigures() {
        return server;
    }

    double value(String measure) {
        return figures.stream().filter(f -> f.measure().equals(measure)).mapToDouble(Figure::value).findFirst()
                .orElse(Double.NaN);
    }
}
