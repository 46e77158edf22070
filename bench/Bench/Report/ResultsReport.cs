using System.Text;
using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Scenarios;
using static RegistryCleaner.Bench.Report.Format;

namespace RegistryCleaner.Bench.Report;

/// <summary>The Markdown written to bench/results.md: every figure, each target with its verdict, and where the CPU went.</summary>
public static class ResultsReport
{
    private const double BusShare = 0.7;
    private const double HttpShare = 0.5;
    private const double BoundShare = 0.9;
    private const double SkopeoFactor = 10;
    private const double RawShare = 0.8;
    private const long MemoryLimit = 200L * 1024 * 1024;

    public static string Render(BenchResults r)
    {
        var md = new StringBuilder();
        Targets(md, r);
        Throughput(md, r);
        SteadyLatency(md, r);
        Registry(md, r);
        Cpu(md, r);
        ProfileReport.Render(md, r);
        Notes(md, r);
        return md.ToString();
    }

    private static void Targets(StringBuilder md, BenchResults r)
    {
        var rows = new List<(string Target, string Measured, string Verdict, string Capacity)>();
        var http = r.SandboxHttp?.Value;
        var bus = r.BusRoundTrip?.Value;
        if (r.Worker?.Value is { } worker)
        {
            var rate = worker.Burst.PerSecond;
            if (bus is not null)
                rows.Add(($"(2) worker ≥ {BusShare} × the messaging round trip (1b)", $"{Ratio(rate / bus.Burst.PerSecond)}: {Rate(rate)} vs {Rate(bus.Burst.PerSecond)}", Verdict(rate >= BusShare * bus.Burst.PerSecond),
                    CapacityRatio(Capacity(worker), Capacity(bus), BusShare)));
            if (http is not null)
                rows.Add(($"(2) worker ≥ {HttpShare} × plain HTTP at the sandbox (1a)", $"{Ratio(rate / http.Run.PerSecond)}: {Rate(rate)} vs {Rate(http.Run.PerSecond)}", Verdict(rate >= HttpShare * http.Run.PerSecond),
                    CapacityRatio(Capacity(worker), http.Cpu.Capacity(http.Run.Count), HttpShare)));
            rows.Add(($"(2) worker peak resident memory (VmHWM) < {Megabytes(MemoryLimit)}", worker.PeakResidentBytes is { } peak ? Megabytes(peak) : "unknown",
                worker.PeakResidentBytes is { } b ? Verdict(b < MemoryLimit) : "**not measured**", "—"));
        }
        if (r.LatencyBound?.Value is { } bound)
        {
            var limit = r.LatencyBoundPerSecond;
            rows.Add(($"(3) latency-bound ≥ {Percent(BoundShare)} of {r.LatencyBoundSettings.MaxConcurrency} / {r.AddedLatency.TotalSeconds:0.###} s = {Rate(limit)}",
                $"{Percent(bound.Burst.PerSecond / limit)}: {Rate(bound.Burst.PerSecond)}", Verdict(bound.Burst.PerSecond >= BoundShare * limit),
                $"{Percent(Math.Min(limit, Capacity(bound)) / limit)}: {Rate(Capacity(bound))} ({Verdict(Math.Min(limit, Capacity(bound)) >= BoundShare * limit)})"));
        }
        if (r.Registry?.Value is { } registry)
        {
            var rate = registry.Worker.Figures.Burst.PerSecond;
            var skopeo = registry.Skopeo.Figures.PerSecond;
            var raw = registry.Raw.Run.PerSecond;
            rows.Add(($"(4) worker ≥ {SkopeoFactor:F0}× the skopeo loop", $"{Ratio(rate / skopeo)}: {Rate(rate)} vs {Rate(skopeo)}", Verdict(rate >= SkopeoFactor * skopeo), "—"));
            rows.Add(($"(4) worker ≥ {RawShare} × raw HTTP with the same requests", $"{Ratio(rate / raw)}: {Rate(rate)} vs {Rate(raw)}", Verdict(rate >= RawShare * raw), "—"));
            var burst = registry.Worker.Figures.Burst;
            rows.Add(("(4) worker: every tag deleted, exactly (all `Deleted`, no tag left)", $"{Count(burst.Deleted)} `Deleted`, {Count(burst.Failed)} failed, {Count(registry.Worker.TagsLeft)} tags left",
                Verdict(burst.Deleted == burst.Count && registry.Worker.TagsLeft == 0), "—"));
        }
        string?[] failures = [r.SandboxHttp?.Failure, r.BusRoundTrip?.Failure, r.Worker?.Failure, r.LatencyBound?.Failure, r.Registry?.Failure];
        if (rows.Count == 0 && failures.All(f => f is null))
            return;
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | verdict | at CPU capacity (cores ÷ our CPU per command) |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (target, measured, verdict, capacity) in rows)
            md.AppendLine($"| {target} | {measured} | {verdict} | {capacity} |");
        md.AppendLine();
        md.AppendLine("The last column is an estimate for a machine nobody else is loading: what each run would reach if it stayed CPU-bound " +
                      "with our processes' measured CPU time per command (see \"Where the CPU went\"). The verdicts that count are the measured ones.");
        md.AppendLine();
        if (failures.Any(f => f is not null))
        {
            md.AppendLine("Some runs could not be measured; their rows below say why.");
            md.AppendLine();
        }
    }

    private static double Capacity(BusFigures f) => f.Cpu.Capacity(f.Burst.Count);

    private static string CapacityRatio(double ours, double baseline, double share) =>
        double.IsNaN(ours) || double.IsNaN(baseline) ? "—" : $"{Ratio(ours / baseline)}: {Rate(ours)} vs {Rate(baseline)} ({Verdict(ours >= share * baseline)})";

    private static void Throughput(StringBuilder md, BenchResults r)
    {
        var c = r.Defaults;
        md.AppendLine($"## Deletions through RabbitMQ against the sandbox ({Count(r.Environment.Commands)} commands per run)");
        md.AppendLine();
        md.AppendLine($"Worker settings unless stated: {c.Describe()} (the defaults). Durable queues, persistent messages, publisher confirms; " +
                      "result events are consumed from a durable queue. Burst: every command sent at once, so its latency includes the wait in the queue.");
        md.AppendLine();
        md.AppendLine("| # | run | commands | time | throughput | p50 | p99 |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|");

        Row(md, "1a", $"plain HTTP `DELETE` at the sandbox (one per tag), {c.MaxConcurrency} at a time, no broker; latency per request", r.SandboxHttp,
            f => (f.Run.Count, f.Run.Elapsed, f.Run.PerSecond, f.Run.P50Ms, f.Run.P99Ms));
        Row(md, "1b", "messaging round trip: a no-op consumer process publishes one event per command; latency publish → event", r.BusRoundTrip,
            f => (f.Burst.Count, f.Burst.Elapsed, f.Burst.PerSecond, f.Burst.P50Ms, f.Burst.P99Ms));
        Row(md, "2", "the worker process end to end (sandbox: one `DELETE` per tag); latency publish → result event", r.Worker,
            f => (f.Burst.Count, f.Burst.Elapsed, f.Burst.PerSecond, f.Burst.P50Ms, f.Burst.P99Ms));
        Row(md, "3", $"latency-bound: the sandbox adds {r.AddedLatency.TotalMilliseconds:F0} ms to every call; {r.LatencyBoundSettings.Describe()}", r.LatencyBound,
            f => (f.Burst.Count, f.Burst.Elapsed, f.Burst.PerSecond, f.Burst.P50Ms, f.Burst.P99Ms));
        md.AppendLine();
    }

    private static void Row<T>(StringBuilder md, string id, string what, Measured<T>? measured,
        Func<T, (int Count, TimeSpan Elapsed, double PerSecond, double P50, double P99)> figures) where T : class
    {
        if (measured is null)
            return;
        if (measured.Value is not { } value)
        {
            md.AppendLine($"| {id} | {what} | **not measured**: {Cell(measured.Failure ?? "")} | | | | |");
            return;
        }
        var f = figures(value);
        md.AppendLine($"| {id} | {what} | {Count(f.Count)} | {Duration(f.Elapsed)} | **{Rate(f.PerSecond)}** | {Ms(f.P50)} | {Ms(f.P99)} |");
    }

    private static void SteadyLatency(StringBuilder md, BenchResults r)
    {
        var rows = new List<(string Run, BatchFigures Figures)>();
        if (r.BusRoundTrip?.Value?.Paced is { } bus)
            rows.Add(("(1b) messaging round trip", bus));
        if (r.Worker?.Value?.Paced is { } worker)
            rows.Add(("(2) the worker end to end", worker));
        if (rows.Count == 0)
            return;
        md.AppendLine($"Latency at a steady {BusRun.PacedPerSecond:F0} commands per second (no queue builds up), publish → result event:");
        md.AppendLine();
        md.AppendLine("| run | commands | p50 | p99 |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (run, f) in rows)
            md.AppendLine($"| {run} | {Count(f.Count)} | {Ms(f.P50Ms)} | {Ms(f.P99Ms)} |");
        md.AppendLine();
    }

    private static void Registry(StringBuilder md, BenchResults r)
    {
        if (r.Registry is null)
            return;
        md.AppendLine($"## (4) The real registry: {Count(BenchEnvironment.RegistryTags)} tags on Debian's docker-registry (distribution 2.8, deletion enabled)");
        md.AppendLine();
        if (r.Registry.Value is not { } f)
        {
            md.AppendLine($"**Not measured**: {r.Registry.Failure}");
            md.AppendLine();
            return;
        }
        var worker = f.Worker.Figures.Burst;
        var (skopeo, skopeoLeft) = (f.Skopeo.Figures, f.Skopeo.TagsLeft);
        md.AppendLine($"Each method deletes its own {Count(BenchEnvironment.RegistryTags)} tags: 5 repositories of 100, unique images pushed through the registry API, " +
                      $"except that in {f.SiblingPairs} pairs two tags share one digest. \"Torn reads\" counts the registry's log lines \"{RegistryComparison.TornLinkError}\" during the run (see below).");
        md.AppendLine();
        md.AppendLine("| method | tags | time | throughput | p50 | p99 | what happened | tags left | torn reads |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|");
        var failure = worker.FirstFailure is { } first ? $" (first: {Cell(Shorten(first))})" : "";
        md.AppendLine($"| the worker: `DeleteTag` through RabbitMQ, {r.Defaults.MaxConcurrency} requests at a time; latency publish → result | {Count(worker.Count)} | {Duration(worker.Elapsed)} | **{Rate(worker.PerSecond)}** | " +
                      $"{Ms(worker.P50Ms)} | {Ms(worker.P99Ms)} | {Count(worker.Deleted)} `Deleted`, {Count(worker.AlreadyAbsent)} `AlreadyAbsent`, {Count(worker.Failed)} failed{failure} | " +
                      $"{Count(f.Worker.TagsLeft)} | {Count(f.Worker.TornLinkErrors)} |");
        RawRow(md, $"raw HTTP, the worker's request sequence, {f.Raw.Concurrency} tags at a time", f.Raw);
        RawRow(md, $"raw HTTP, the same sequence one tag at a time per repository ({f.RawPerRepository.Concurrency} repositories side by side)", f.RawPerRepository);
        md.AppendLine($"| `skopeo delete` loop: one process per tag, one after the other | {Count(skopeo.Count)} | {Duration(skopeo.Elapsed)} | {Rate(skopeo.PerSecond)} | | | " +
                      $"{Count(skopeo.Deleted)} succeeded, {Count(skopeo.Failed)} failed{(skopeo.FirstError is { } e ? $" (\"{Cell(Shorten(e))}\")" : "")} | {Count(skopeoLeft)} | |");
        md.AppendLine();
        md.AppendLine("The raw sequence is the worker's safe tag delete on a registry without the spec 1.1 tag delete, as bare HTTP with nothing else: " +
                      "GET the manifest, make sure the throw-away config blob is in the repository (HEAD, upload once if missing), PUT a unique throw-away " +
                      "manifest under the tag, DELETE that digest; the one-time checks (tag delete answering 400, the deletion probe) are made in its warm-up, as the worker makes them on its first command.");
        md.AppendLine();
        md.AppendLine($"skopeo deletes by digest: deleting the first tag of a pair removed its sibling too, so the sibling's own turn failed. " +
                      "The worker and the raw sequence re-point the tag at a unique throw-away manifest first and delete only that, so each pair's second tag " +
                      "lives until its own delete.");
        md.AppendLine();
        if (f.Worker.TornLinkErrors + f.Raw.TornLinkErrors + f.RawPerRepository.TornLinkErrors > 0 || f.Worker.TagsLeft + f.Raw.TagsLeft > 0)
        {
            md.AppendLine("Torn reads: distribution's filesystem storage rewrites a tag's link file in place (truncate, then write). A DELETE by digest reads " +
                          "every tag link of the repository to untag the deleted manifest; when it reads a link that a concurrent PUT in the same repository is " +
                          "rewriting, it answers 500 (\"invalid checksum digest format\") after the manifest is already deleted but before its tag is untagged. " +
                          "That tag then stays listed and answers 404 `MANIFEST_UNKNOWN`: a dangling tag, counted under \"tags left\". " +
                          "Retrying the same DELETE answers 404, so a client that takes that 404 as done leaves the dangling tag behind.");
            md.AppendLine();
        }
    }

    private static void RawRow(StringBuilder md, string what, RawOnRegistry raw) =>
        md.AppendLine($"| {what}; latency per tag | {Count(raw.Run.Count)} | {Duration(raw.Run.Elapsed)} | {Rate(raw.Run.PerSecond)} | {Ms(raw.Run.P50Ms)} | {Ms(raw.Run.P99Ms)} | " +
                      $"{Count(raw.Run.Count - raw.Run.Failures)} deleted, {Count(raw.Run.Failures)} failed{(raw.Failures.Length > 0 ? $" ({raw.Failures})" : "")} | " +
                      $"{Count(raw.TagsLeft)} | {Count(raw.TornLinkErrors)} |");

    private static void Cpu(StringBuilder md, BenchResults r)
    {
        var runs = new List<(string Run, int Count, CpuUse Cpu)>();
        if (r.SandboxHttp?.Value is { } http) runs.Add(("(1a) plain HTTP", http.Run.Count, http.Cpu));
        if (r.BusRoundTrip?.Value is { } bus) runs.Add(("(1b) messaging round trip", bus.Burst.Count, bus.Cpu));
        if (r.Worker?.Value is { } worker) runs.Add(("(2) worker end to end", worker.Burst.Count, worker.Cpu));
        if (r.LatencyBound?.Value is { } bound) runs.Add(("(3) latency-bound", bound.Burst.Count, bound.Cpu));
        if (r.Registry?.Value is { } registry)
        {
            runs.Add(("(4) worker on docker-registry", registry.Worker.Figures.Burst.Count, registry.Worker.Figures.Cpu));
            runs.Add(("(4) raw HTTP on docker-registry", registry.Raw.Run.Count, registry.Raw.Cpu));
            runs.Add(("(4) raw HTTP, one at a time per repository", registry.RawPerRepository.Run.Count, registry.RawPerRepository.Cpu));
            runs.Add(("(4) skopeo loop (skopeo's own processes not counted)", registry.Skopeo.Figures.Count, registry.Skopeo.Cpu));
        }
        if (runs.Count == 0)
            return;
        md.AppendLine("## Where the CPU went (CPU time per command, by process, during each measured burst)");
        md.AppendLine();
        md.AppendLine($"The bench process holds the publisher, the result observer and (in 1a, 2, 3) the sandbox. \"Rest of the machine\" is everything else " +
                      $"running meanwhile, in cores: on a shared machine it is the noise in these figures. {System.Environment.ProcessorCount} cores.");
        md.AppendLine();
        md.AppendLine("| run | wall | bench process | worker / no-op consumer | RabbitMQ | docker-registry | rest of the machine | machine busy | CPU capacity |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (run, count, cpu) in runs)
        {
            string Of(params string[] roles) => roles.FirstOrDefault(cpu.ByRole.ContainsKey) is { } role ? Micros(cpu.ByRole[role], count) : "—";
            md.AppendLine($"| {run} | {Duration(cpu.Wall)} | {Of(Roles.Bench)} | {Of(Roles.Worker, Roles.Consumer)} | {Of(Roles.RabbitMq)} | {Of(Roles.Registry)} | " +
                          $"{Cores(cpu.Others / cpu.Wall)} cores | {Cores(cpu.CoresBusy)} of {System.Environment.ProcessorCount} cores | " +
                          $"{(run.Contains("skopeo", StringComparison.Ordinal) ? "—" : Rate(cpu.Capacity(count)))} |");
        }
        md.AppendLine();
    }

    private static void Notes(StringBuilder md, BenchResults r)
    {
        md.AppendLine("How the runs are made: each run has its own warm-up (500 commands; on the registry 200 tags for the worker, 50 for raw HTTP in the already warm bench process) " +
                      $"and, through the bus, a {Scenarios.BusRun.Settle.TotalSeconds:F0} s pause in which the runtime finishes recompiling what the warm-up made hot, before the measured burst, " +
                      "and the worker runs as its own process (`dotnet RegistryCleaner.Worker.dll`) configured only by environment variables, " +
                      $"for the sandbox: `Transport__Kind=RabbitMq`, `Registries__bench__Kind=Oci` with the spec 1.1 tag delete, {r.Defaults.Describe()}, `Logging__LogLevel__Default=Warning`. " +
                      "Throughput is commands ÷ (last result received − first command sent).");
    }

    private static string Shorten(string text)
    {
        var message = text.Contains("msg=\"", StringComparison.Ordinal) ? text[(text.IndexOf("msg=\"", StringComparison.Ordinal) + 5)..].TrimEnd('"') : text;
        return message.Length > 160 ? message[..160] + "…" : message;
    }
}
