using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Common;

/// <summary>A Guid derived from content, so the same request sent twice is recognisable as the same.</summary>
public static class DeterministicId
{
    public static Guid From(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style, name-based
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
