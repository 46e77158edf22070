using System.Diagnostics;

namespace RegistryCleaner.Bench.Measure;

/// <summary>
/// CPU time of each process taking part in a run, and of the whole machine, between <see cref="Start"/> and
/// <see cref="Stop"/>. What the machine spent beyond our processes is the load of everything else running meanwhile.
/// </summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyList<(string Role, int Pid)> _processes;
    private Dictionary<string, TimeSpan> _before = [];
    private (long Busy, long Total) _machineBefore;
    private long _startedAt;

    private CpuMeter(IReadOnlyList<(string Role, int Pid)> processes) => _processes = processes;

    public static CpuMeter Start(params (string Role, int? Pid)[] processes)
    {
        var meter = new CpuMeter([.. processes.Where(p => p.Pid is not null).Select(p => (p.Role, p.Pid!.Value))]);
        meter._before = meter.Snapshot();
        meter._machineBefore = MachineJiffies();
        meter._startedAt = Stopwatch.GetTimestamp();
        return meter;
    }

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_startedAt);
        var after = Snapshot();
        var machine = MachineJiffies();
        var byRole = after.ToDictionary(p => p.Key, p => p.Value - _before.GetValueOrDefault(p.Key));
        var total = machine.Total - _machineBefore.Total;
        var busyShare = total > 0 ? (double)(machine.Busy - _machineBefore.Busy) / total : 0;
        return new CpuUse(wall, byRole, TimeSpan.FromTicks((long)(busyShare * Environment.ProcessorCount * wall.Ticks)));
    }

    private Dictionary<string, TimeSpan> Snapshot()
    {
        var times = new Dictionary<string, TimeSpan>();
        foreach (var (role, pid) in _processes)
        {
            if (ProcessTime(pid) is { } time)
                times[role] = time;
        }
        return times;
    }

    private static TimeSpan? ProcessTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The first line of /proc/stat: jiffies of all cores, busy (everything but idle and iowait) and total.</summary>
    private static (long Busy, long Total) MachineJiffies()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }
}

/// <summary>CPU time per role during one run; <see cref="Others"/> is what the rest of the machine used meanwhile.</summary>
public sealed record CpuUse(TimeSpan Wall, IReadOnlyDictionary<string, TimeSpan> ByRole, TimeSpan Machine)
{
    public TimeSpan Ours => ByRole.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
    public TimeSpan Others => Machine > Ours ? Machine - Ours : TimeSpan.Zero;
    public double CoresBusy => Wall > TimeSpan.Zero ? Machine / Wall : 0;

    /// <summary>
    /// Commands per second if our processes had every core to themselves and stayed CPU-bound: cores ÷ our CPU time per
    /// command. An estimate that holds up better than throughput on a machine others are loading.
    /// </summary>
    public double Capacity(int commands) => Ours > TimeSpan.Zero ? Environment.ProcessorCount * commands / Ours.TotalSeconds : double.NaN;
}
