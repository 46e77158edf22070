using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

internal sealed partial class OciApi
{
    private Task GetManifestAsync(HttpContext context, string name, string reference)
    {
        if (InvalidReference(context, reference) is { } invalid) return invalid;

        StoredManifest? manifest = null;
        string? digest = null;
        bool repoFound;
        lock (Store.Gate)
        {
            repoFound = Store.Repositories.TryGetValue(name, out var repo);
            if (repoFound)
            {
                digest = Digests.IsDigest(reference) ? reference : repo!.Tags.GetValueOrDefault(reference)?.Digest;
                if (digest is not null) manifest = repo!.Manifests.GetValueOrDefault(digest);
            }
        }
        if (!repoFound) return OciErrors.NameUnknown(context, name);
        if (manifest is null) return OciErrors.ManifestUnknown(context, reference);

        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.Headers.ETag = $"\"{digest}\"";
        return Respond.Bytes(context, 200, manifest.Bytes, manifest.MediaType);
    }

    private async Task PutManifestAsync(HttpContext context, string name, string reference)
    {
        if (InvalidReference(context, reference) is { } invalid)
        {
            await invalid;
            return;
        }

        var body = await Respond.ReadBodyAsync(context);
        if (!TryReadReferences(body, out var jsonMediaType, out var blobs, out var children))
        {
            await OciErrors.Write(context, 400, "MANIFEST_INVALID", "manifest invalid");
            return;
        }
        var digest = Digests.Sha256(body);
        if (Digests.IsDigest(reference) && reference != digest)
        {
            await OciErrors.DigestInvalid(context, $"the manifest digest is {digest}");
            return;
        }
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim() is { Length: > 0 } header
            ? header
            : jsonMediaType ?? OciContent.ManifestMediaType;

        string? missing = null;
        lock (Store.Gate)
        {
            Store.Repositories.TryGetValue(name, out var repo);
            missing = blobs.FirstOrDefault(b => repo is null || !repo.Blobs.ContainsKey(b))
                ?? children.FirstOrDefault(c => repo is null || !repo.Manifests.ContainsKey(c));
            if (missing is null)
            {
                repo ??= Store.GetOrCreate(name);
                repo.Manifests[digest] = new StoredManifest(body, mediaType);
                if (!Digests.IsDigest(reference)) Store.SetTag(repo, reference, digest, body.Length);
            }
        }
        if (missing is not null)
        {
            await OciErrors.Write(context, 400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", new { digest = missing });
            return;
        }

        context.Response.Headers.Location = Absolute(context, $"/v2/{name}/manifests/{digest}");
        context.Response.Headers["Docker-Content-Digest"] = digest;
        await Respond.Empty(context, StatusCodes.Status201Created);
    }

    private Task DeleteManifestAsync(HttpContext context, string name, string reference)
    {
        if (!Store.DeleteEnabled) return OciErrors.Unsupported(context);

        var byDigest = Digests.IsDigest(reference);
        if (byDigest && !OciNames.IsDigest(reference)) return OciErrors.DigestInvalid(context, $"invalid digest {reference}");
        // distribution 2.8 parses the reference as a digest, so a tag fails the same way
        if (!byDigest && !Store.TagDeleteSupported) return OciErrors.DigestInvalid(context, $"invalid digest {reference}");
        if (!byDigest && !OciNames.IsTag(reference)) return OciErrors.TagInvalid(context, reference);

        bool repoFound, removed = false;
        lock (Store.Gate)
        {
            repoFound = Store.Repositories.TryGetValue(name, out var repo);
            if (repoFound)
                removed = byDigest ? RemoveManifest(repo!, reference) : repo!.Tags.Remove(reference);
        }
        if (!repoFound) return OciErrors.NameUnknown(context, name);
        return removed ? Respond.Empty(context, StatusCodes.Status202Accepted) : OciErrors.ManifestUnknown(context, reference);
    }

    /// <summary>Removes the manifest and every tag that points at it.</summary>
    private static bool RemoveManifest(RepositoryRecord repo, string digest)
    {
        if (!repo.Manifests.Remove(digest)) return false;
        foreach (var tag in repo.Tags.Values.Where(t => t.Digest == digest).Select(t => t.Name).ToList()) repo.Tags.Remove(tag);
        foreach (var label in repo.ImageDigests.Where(p => p.Value == digest).Select(p => p.Key).ToList()) repo.ImageDigests.Remove(label);
        return true;
    }

    private static Task? InvalidReference(HttpContext context, string reference)
    {
        if (Digests.IsDigest(reference))
            return OciNames.IsDigest(reference) ? null : OciErrors.DigestInvalid(context, $"invalid digest {reference}");
        return OciNames.IsTag(reference) ? null : OciErrors.TagInvalid(context, reference);
    }

    /// <summary>Reads the blobs (config, layers) and child manifests (index entries) a manifest refers to.</summary>
    private static bool TryReadReferences(byte[] body, out string? mediaType, out List<string> blobs, out List<string> children)
    {
        mediaType = null;
        blobs = [];
        children = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out _)) return false;
            if (root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String) mediaType = type.GetString();
            if (root.TryGetProperty("config", out var config) && !TryAddDigest(config, blobs)) return false;
            if (root.TryGetProperty("layers", out var layers))
                foreach (var layer in layers.EnumerateArray())
                    if (!layer.TryGetProperty("urls", out _) && !TryAddDigest(layer, blobs)) return false;
            if (root.TryGetProperty("manifests", out var manifests))
                foreach (var child in manifests.EnumerateArray())
                    if (!TryAddDigest(child, children)) return false;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryAddDigest(JsonElement descriptor, List<string> into)
    {
        if (descriptor.ValueKind != JsonValueKind.Object || !descriptor.TryGetProperty("digest", out var digest)) return false;
        var value = digest.GetString();
        if (value is null || !OciNames.IsDigest(value)) return false;
        into.Add(value);
        return true;
    }
}
