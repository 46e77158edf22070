namespace RegistryCleaner.Common;

/// <summary>
/// One-at-a-time gates by key from a fixed set: keys that hash alike share a gate, so memory stays bounded however many
/// keys there are, while most keys still run side by side.
/// </summary>
public sealed class StripedGates(int count = 256)
{
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public SemaphoreSlim For(string key) => _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_gates.Length)];
}
