using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

internal sealed partial class OciApi
{
    private Task GetBlobAsync(HttpContext context, string name, string digest)
    {
        if (!OciNames.IsDigest(digest)) return OciErrors.DigestInvalid(context, $"invalid digest {digest}");
        byte[]? blob = null;
        bool repoFound;
        lock (Store.Gate)
        {
            repoFound = Store.Repositories.TryGetValue(name, out var repo);
            if (repoFound) blob = repo!.Blobs.GetValueOrDefault(digest) ?? repo.Manifests.GetValueOrDefault(digest)?.Bytes;
        }
        if (!repoFound) return OciErrors.NameUnknown(context, name);
        if (blob is null) return OciErrors.BlobUnknown(context, digest);

        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.Headers.ETag = $"\"{digest}\"";
        return Respond.Bytes(context, 200, blob, "application/octet-stream");
    }

    private Task DeleteBlobAsync(HttpContext context, string name, string digest)
    {
        if (!Store.DeleteEnabled) return OciErrors.Unsupported(context);
        if (!OciNames.IsDigest(digest)) return OciErrors.DigestInvalid(context, $"invalid digest {digest}");
        bool repoFound, removed = false;
        lock (Store.Gate)
        {
            repoFound = Store.Repositories.TryGetValue(name, out var repo);
            if (repoFound) removed = repo!.Blobs.Remove(digest);
        }
        if (!repoFound) return OciErrors.NameUnknown(context, name);
        return removed ? Respond.Empty(context, StatusCodes.Status202Accepted) : OciErrors.BlobUnknown(context, digest);
    }

    private async Task StartUploadAsync(HttpContext context, RawRequest request, string name)
    {
        if (request.QueryValue("mount") is { } mount && request.QueryValue("from") is { } from && TryMount(name, mount, from))
        {
            await BlobCreated(context, name, mount);
            return;
        }

        var body = await Respond.ReadBodyAsync(context);
        if (request.QueryValue("digest") is { } digest)
        {
            await CompleteAsync(context, name, digest, body);
            return;
        }

        var uuid = Guid.NewGuid().ToString("D");
        var session = new UploadSession(name);
        session.Data.Write(body);
        Store.Uploads[uuid] = session;
        await UploadAccepted(context, name, uuid, session.Data.Length);
    }

    private async Task ContinueUploadAsync(HttpContext context, RawRequest request, string name, string uuid)
    {
        if (!Store.Uploads.TryGetValue(uuid, out var session) || session.Repository != name)
        {
            await OciErrors.UploadUnknown(context);
            return;
        }

        var method = request.Method;
        if (HttpMethods.IsDelete(method))
        {
            Store.Uploads.TryRemove(uuid, out _);
            await Respond.Empty(context, StatusCodes.Status204NoContent);
            return;
        }
        if (HttpMethods.IsGet(method))
        {
            long length;
            lock (session) length = session.Data.Length;
            context.Response.Headers.Range = RangeOf(length);
            context.Response.Headers["Docker-Upload-UUID"] = uuid;
            await Respond.Empty(context, StatusCodes.Status204NoContent);
            return;
        }

        var body = await Respond.ReadBodyAsync(context);
        byte[] data;
        lock (session)
        {
            session.Data.Write(body);
            data = HttpMethods.IsPut(method) ? session.Data.ToArray() : [];
            if (!HttpMethods.IsPut(method))
            {
                var length = session.Data.Length;
                context.Response.Headers.Range = RangeOf(length);
            }
        }
        if (HttpMethods.IsPatch(method))
        {
            await UploadAccepted(context, name, uuid, null);
            return;
        }

        Store.Uploads.TryRemove(uuid, out _);
        await CompleteAsync(context, name, request.QueryValue("digest"), data);
    }

    private Task CompleteAsync(HttpContext context, string name, string? digest, byte[] data)
    {
        if (string.IsNullOrEmpty(digest) || !OciNames.IsDigest(digest))
            return OciErrors.DigestInvalid(context, "a valid digest query parameter is required");
        var actual = Digests.Sha256(data);
        if (actual != digest) return OciErrors.DigestInvalid(context, $"the content digest is {actual}");
        lock (Store.Gate) Store.GetOrCreate(name).Blobs[digest] = data;
        return BlobCreated(context, name, digest);
    }

    private bool TryMount(string name, string digest, string from)
    {
        lock (Store.Gate)
        {
            if (!Store.Repositories.TryGetValue(from, out var source) || !source.Blobs.TryGetValue(digest, out var blob)) return false;
            Store.GetOrCreate(name).Blobs[digest] = blob;
            return true;
        }
    }

    private static Task BlobCreated(HttpContext context, string name, string digest)
    {
        context.Response.Headers.Location = Absolute(context, $"/v2/{name}/blobs/{digest}");
        context.Response.Headers["Docker-Content-Digest"] = digest;
        return Respond.Empty(context, StatusCodes.Status201Created);
    }

    private static Task UploadAccepted(HttpContext context, string name, string uuid, long? length)
    {
        context.Response.Headers.Location = Absolute(context, $"/v2/{name}/blobs/uploads/{uuid}");
        context.Response.Headers["Docker-Upload-UUID"] = uuid;
        if (length is { } value) context.Response.Headers.Range = RangeOf(value);
        return Respond.Empty(context, StatusCodes.Status202Accepted);
    }

    private static string RangeOf(long length) =>
        "0-" + Math.Max(0, length - 1).ToString(CultureInfo.InvariantCulture);
}
