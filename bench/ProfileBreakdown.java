import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each microsecond of a request goes, from two measurements of the same load step
 * ({@code bench/profile.sh} takes both):
 *
 * <ul>
 *   <li>the CPU time of every thread of the service ({@code /proc/PID/task/TID/stat}, user and
 *       system ticks) before and after the step, grouped by what the thread does (request threads:
 *       the HTTP event loops and the worker pool; the record writer; GC; the JIT; the rest);</li>
 *   <li>a JFR recording of a second, identical step: its execution samples of the request threads
 *       split the request threads' user time into phases by the frames on each sampled stack, and
 *       its allocation samples give the bytes allocated per request by phase.</li>
 * </ul>
 *
 * <p>A sample belongs to the first phase of {@link #PHASES} one of its frames matches: the record
 * before the metrics, the metrics before the engine (the metrics are recorded inside the plan), and
 * so on down to the framework, which is everything the request threads do outside the service's
 * own code (HTTP, routing, security checks of the framework, Mutiny, Vert.x).
 *
 * <p>Run with the JDK only: {@code java bench/ProfileBreakdown.java RECORDING REQUESTS_JFR
 * CPU_BEFORE CPU_AFTER REQUESTS_CPU}, where the CPU files hold {@code tid|name|utime stime} lines.
 */
public final class ProfileBreakdown {

    /** Phase name and the frame prefixes ("class.method" or a package) that put a sample in it. */
    private static final Map<String, List<String>> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("plan id", List.of("io.meridian.records.PlanIds"));
        PHASES.put("recording (hand-off to the writer)", List.of("io.meridian.records.", "io.meridian.transparency."));
        PHASES.put("metrics", List.of("io.meridian.routing.RoutingMetrics", "io.micrometer.", "io.quarkus.micrometer."));
        PHASES.put("engine", List.of("io.meridian.core.RoutingEngine.plan"));
        PHASES.put("plan to answer (view objects)", List.of("io.meridian.routing.RoutingService$PlanMapper",
                "io.meridian.routing.PlanResponses"));
        PHASES.put("policy", List.of("io.meridian.core.RegionPolicy.", "io.meridian.catalog.RegionCodes",
                "io.meridian.policy."));
        PHASES.put("validation and mapping", List.of("io.meridian.routing.PlanRequestCheck", "io.meridian.web.RequestValidation",
                "org.hibernate.validator.", "io.meridian.routing.RoutingService.participants",
                "io.meridian.routing.ParticipantMapper", "io.meridian.routing.PlanRequests", "io.meridian.catalog.CountryDirectory"));
        PHASES.put("JSON parse", List.of("com.fasterxml.jackson.databind.ObjectReader.", "io.meridian.web.JsonBodies"));
        PHASES.put("JSON write", List.of("com.fasterxml.jackson.databind.ObjectWriter.", "com.fasterxml.jackson.databind.ser.",
                "com.fasterxml.jackson.core.json.UTF8JsonGenerator", "org.jboss.resteasy.reactive.server.jackson.",
                "io.quarkus.resteasy.reactive.jackson."));
        PHASES.put("security (token)", List.of("io.smallrye.jwt.", "io.quarkus.smallrye.jwt.", "io.meridian.security.",
                "org.jose4j."));
        PHASES.put("other service code", List.of("io.meridian."));
    }

    private static final String FRAMEWORK = "framework (HTTP, REST, security checks, Vert.x)";

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        long jfrRequests = Long.parseLong(args[1]);
        Map<String, long[]> before = ticks(Path.of(args[2]));
        Map<String, long[]> after = ticks(Path.of(args[3]));
        long cpuRequests = Long.parseLong(args[4]);
        double hz = args.length > 5 ? Double.parseDouble(args[5]) : 100;

        // CPU per thread group over the step without the recording
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (String g : List.of("request threads", "record writer", "GC", "JIT", "other JVM threads")) {
            groups.put(g, new double[2]);
        }
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] a = e.getValue();
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            String name = e.getKey().substring(e.getKey().indexOf('|') + 1);
            double[] sum = groups.get(group(name));
            sum[0] += (a[0] - b[0]) * 1e6 / hz / cpuRequests;
            sum[1] += (a[1] - b[1]) * 1e6 / hz / cpuRequests;
        }

        Map<String, Long> samples = new LinkedHashMap<>();
        Map<String, Double> bytes = new LinkedHashMap<>();
        for (String phase : PHASES.keySet()) {
            samples.put(phase, 0L);
            bytes.put(phase, 0.0);
        }
        samples.put(FRAMEWORK, 0L);
        bytes.put(FRAMEWORK, 0.0);
        long total = 0;
        double totalBytes = 0;
        Map<String, Long> hottest = new HashMap<>();
        Map<Long, long[]> allocated = new HashMap<>();
        Map<String, Double> allocating = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                boolean sample = type.equals("jdk.ExecutionSample");
                boolean allocation = type.equals("jdk.ObjectAllocationSample");
                if (type.equals("jdk.ThreadAllocationStatistics")) {
                    RecordedThread t = event.getThread("thread");
                    if (t != null && group(t.getJavaName()).equals("request threads")) {
                        long[] range = allocated.computeIfAbsent(t.getJavaThreadId(), id -> new long[]{Long.MAX_VALUE, 0});
                        range[0] = Math.min(range[0], event.getLong("allocated"));
                        range[1] = Math.max(range[1], event.getLong("allocated"));
                    }
                    continue;
                }
                if (!sample && !allocation) {
                    continue;
                }
                RecordedThread thread = sample ? event.getThread("sampledThread") : event.getThread("eventThread");
                if (thread == null || !group(thread.getJavaName()).equals("request threads")) {
                    continue;
                }
                String phase = phase(event.getStackTrace());
                if (sample) {
                    samples.merge(phase, 1L, Long::sum);
                    total++;
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack != null && !stack.getFrames().isEmpty()) {
                        hottest.merge(phase + " | " + name(stack.getFrames().get(0)), 1L, Long::sum);
                    }
                } else {
                    double weight = event.getLong("weight");
                    bytes.merge(phase, weight, Double::sum);
                    totalBytes += weight;
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack != null && !stack.getFrames().isEmpty()) {
                        StringBuilder where = new StringBuilder(phase).append(" |");
                        for (int i = 0; i < Math.min(3, stack.getFrames().size()); i++) {
                            where.append(' ').append(name(stack.getFrames().get(i)));
                        }
                        allocating.merge(where.toString(), weight, Double::sum);
                    }
                }
            }
        }

        // the allocation samples' weights give each phase's share; the threads' own counters the total
        double allocatedBytes = 0;
        for (long[] range : allocated.values()) {
            allocatedBytes += range[1] - range[0];
        }
        double perSampledByte = totalBytes == 0 ? 0 : allocatedBytes / totalBytes;
        double[] request = groups.get("request threads");
        System.out.printf("CPU per request (µs, user + system), %d requests, %d execution samples%n%n",
                cpuRequests, total);
        System.out.println("| where | µs per request | share of the request threads' user time | KB allocated per request |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Map.Entry<String, Long> e : samples.entrySet()) {
            double share = total == 0 ? 0 : (double) e.getValue() / total;
            System.out.printf("| %s | %.1f | %.1f%% | %.2f |%n", e.getKey(), share * request[0], 100 * share,
                    bytes.get(e.getKey()) * perSampledByte / 1024 / jfrRequests);
        }
        System.out.printf("| kernel time of the request threads (sockets) | %.1f | | |%n", request[1]);
        System.out.printf("| **request threads, total** | **%.1f** | | **%.2f** |%n", request[0] + request[1],
                allocatedBytes / 1024 / jfrRequests);
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            if (!e.getKey().equals("request threads")) {
                System.out.printf("| %s threads | %.1f | | |%n", e.getKey(), e.getValue()[0] + e.getValue()[1]);
            }
        }
        double all = 0;
        for (double[] g : groups.values()) {
            all += g[0] + g[1];
        }
        System.out.printf("| **whole service process** | **%.1f** | | |%n%n", all);
        System.out.println("Hottest methods (self time) of the request threads, by phase:");
        long sampled = Math.max(1, total);
        hottest.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(40)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / sampled, e.getKey()));
        System.out.println();
        System.out.println("Largest allocation sites of the request threads (KB per request, three innermost frames):");
        double scale = perSampledByte / 1024 / jfrRequests;
        allocating.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(15)
                .forEach(e -> System.out.printf("  %9.2f  %s%n", e.getValue() * scale, e.getKey()));
    }

    private static String group(String threadName) {
        if (threadName == null) {
            return "other JVM threads";
        }
        if (threadName.startsWith("vert.x-eventloo") || threadName.startsWith("executor-thread")) {
            return "request threads";
        }
        if (threadName.startsWith("routing-record")) {
            return "record writer";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return "GC";
        }
        if (threadName.startsWith("C1 ") || threadName.startsWith("C2 ") || threadName.startsWith("Sweeper")) {
            return "JIT";
        }
        return "other JVM threads";
    }

    private static String phase(RecordedStackTrace stack) {
        if (stack == null) {
            return FRAMEWORK;
        }
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : stack.getFrames()) {
            String name = name(f);
            // classes Quarkus generates in the service's packages (REST invokers, CDI proxies) are framework
            if (!name.contains("$quarkusrestinvoker") && !name.contains("_ClientProxy") && !name.contains("_Subclass")) {
                frames.add(name);
            }
        }
        if (!frames.isEmpty() && frames.get(0).startsWith("io.meridian.")) {
            // the service's own code that no phase names: counted where it runs, not where it is called from
            for (Map.Entry<String, List<String>> phase : PHASES.entrySet()) {
                for (String prefix : phase.getValue()) {
                    for (String frame : frames) {
                        if (frame.startsWith(prefix) && !prefix.equals("io.meridian.")) {
                            return phase.getKey();
                        }
                    }
                }
            }
            return "other service code";
        }
        for (Map.Entry<String, List<String>> phase : PHASES.entrySet()) {
            if (phase.getKey().equals("other service code")) {
                continue;
            }
            for (String frame : frames) {
                for (String prefix : phase.getValue()) {
                    if (frame.startsWith(prefix)) {
                        return phase.getKey();
                    }
                }
            }
        }
        return FRAMEWORK;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, long[]> ticks(Path file) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split("\\|");
            if (parts.length < 3) {
                continue;
            }
            String[] t = parts[2].trim().split(" ");
            out.put(parts[0] + "|" + parts[1], new long[]{Long.parseLong(t[0]), Long.parseLong(t[1])});
        }
        return out;
    }
}
