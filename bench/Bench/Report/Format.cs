using System.Globalization;

namespace RegistryCleaner.Bench.Report;

internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(int n) => n.ToString("N0", Invariant);

    public static string Rate(double perSecond) => perSecond.ToString(perSecond < 100 ? "N1" : "N0", Invariant) + "/s";

    public static string Duration(TimeSpan t) => t.TotalSeconds < 10 ? t.TotalSeconds.ToString("F2", Invariant) + " s" : t.TotalSeconds.ToString("F1", Invariant) + " s";

    public static string Ms(double ms) => ms switch
    {
        double.NaN => "—",
        < 10 => ms.ToString("F1", Invariant) + " ms",
        < 10_000 => ms.ToString("F0", Invariant) + " ms",
        _ => (ms / 1000).ToString("F1", Invariant) + " s",
    };

    public static string Ratio(double r) => r.ToString("F2", Invariant) + "×";

    public static string Percent(double share) => (share * 100).ToString("F0", Invariant) + " %";

    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", Invariant) + " MB";

    public static string Micros(TimeSpan cpu, int count) => count == 0 ? "—" : (cpu.TotalMicroseconds / count).ToString("N0", Invariant) + " µs";

    public static string Cores(double cores) => cores.ToString("F2", Invariant);

    public static string Verdict(bool pass) => pass ? "pass" : "**FAIL**";

    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
