using System.Buffers;
using System.Runtime.InteropServices;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// What a plan does to each image (distinct digest) of a repository: removed when every tag of it is condemned,
/// still held when a kept tag points at it. One dictionary look-up per tag; the rest is arrays.
/// </summary>
internal sealed class ImageFates : IDisposable
{
    private const byte HasCondemned = 1, HasKept = 2;
    private readonly Dictionary<string, int> _ids;
    private readonly int[] _imageOf;
    private readonly byte[] _fate;

    private ImageFates(Dictionary<string, int> ids, int[] imageOf, byte[] fate, int removed)
    {
        _ids = ids;
        _imageOf = imageOf;
        _fate = fate;
        Removed = removed;
    }

    /// <summary>Images whose every tag is condemned.</summary>
    public int Removed { get; }

    /// <param name="state">Per tag: kept, or a referrer (no image of its own); the condemned are marked here.</param>
    public static ImageFates Of(IReadOnlyList<RegistryTag> tags, ReadOnlySpan<RetentionPlanner.Candidate> condemned, byte[] state)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var imageOf = ArrayPool<int>.Shared.Rent(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Digest is not { } digest)
            {
                imageOf[i] = -1;
                continue;
            }
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, digest, out var exists);
            if (!exists)
                id = ids.Count - 1;
            imageOf[i] = id;
        }
        var fate = ArrayPool<byte>.Shared.Rent(ids.Count);
        Array.Clear(fate, 0, ids.Count);
        foreach (var candidate in condemned)
        {
            state[candidate.Index] = RetentionPlanner.Condemned;
            if (imageOf[candidate.Index] is >= 0 and var image)
                fate[image] |= HasCondemned;
        }
        for (var i = 0; i < tags.Count; i++)
        {
            if (state[i] == RetentionPlanner.Kept && imageOf[i] >= 0)
                fate[imageOf[i]] |= HasKept;
        }
        var removed = 0;
        for (var image = 0; image < ids.Count; image++)
            removed += fate[image] == HasCondemned ? 1 : 0;
        return new ImageFates(ids, imageOf, fate, removed);
    }

    /// <summary>A kept tag still holds the image of the tag at this index.</summary>
    public bool StillHeld(int tagIndex) => _imageOf[tagIndex] >= 0 && (_fate[_imageOf[tagIndex]] & HasKept) != 0;

    /// <summary>Some listed tag points at this digest.</summary>
    public bool IsListed(string digest) => _ids.ContainsKey(digest);

    public bool IsRemoved(string digest) => _ids.TryGetValue(digest, out var image) && _fate[image] == HasCondemned;

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_imageOf);
        ArrayPool<byte>.Shared.Return(_fate);
    }
}
