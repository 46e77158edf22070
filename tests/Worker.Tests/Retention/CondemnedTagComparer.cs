using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>Condemned tags compared by value, their referrers included (records compare lists by reference).</summary>
public sealed class CondemnedTagComparer : IEqualityComparer<CondemnedTag>
{
    public static readonly CondemnedTagComparer Instance = new();

    public bool Equals(CondemnedTag? x, CondemnedTag? y) =>
        x is not null && y is not null && (x with { Referrers = [] }) == (y with { Referrers = [] }) && x.Referrers.SequenceEqual(y.Referrers);

    public int GetHashCode(CondemnedTag tag) => tag.Tag.GetHashCode(StringComparison.Ordinal);
}
