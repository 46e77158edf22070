namespace RegistryCleaner.Worker.Registries.Http;

public static class ResponseBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes, so a hostile or broken server cannot exhaust memory.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new InvalidDataException($"The registry's answer is larger than {limit} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
