using System.Net;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// An answer's body, read under its attempt's deadline as well as under the reader's own token: a registry (or a
/// half-open connection) that sends the headers and then stalls cannot hold a reader past <c>Retry:AttemptTimeout</c>,
/// whatever token the reader passes (the untag batch passes none). A read the deadline ends throws the
/// <see cref="RegistryFailureException"/> that <paramref name="timedOut"/> makes, never an
/// <see cref="OperationCanceledException"/>, which callers take for the worker stopping. Owns the deadline: disposing
/// the answer disposes it.
/// </summary>
internal sealed class AttemptBoundContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _expired;
    private readonly Func<RegistryFailureException> _timedOut;

    public AttemptBoundContent(HttpContent inner, CancellationTokenSource deadline, Func<RegistryFailureException> timedOut)
    {
        _inner = inner;
        _deadline = deadline;
        _expired = deadline.Token;
        _timedOut = timedOut;
        foreach (var (name, values) in inner.Headers.NonValidated)
            Headers.TryAddWithoutValidation(name, values);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new BoundStream(await BoundAsync(static (inner, token) => new ValueTask<Stream>(inner.ReadAsStreamAsync(token)), _inner, cancellationToken), this);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var body = await CreateContentReadStreamAsync(cancellationToken);
        await body.CopyToAsync(stream, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _deadline.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>One step of reading the body, cancelled by the reader's token or the deadline, whichever comes first.</summary>
    private async ValueTask<T> BoundAsync<T, TState>(Func<TState, CancellationToken, ValueTask<T>> read, TState state, CancellationToken ct)
    {
        using var linked = ct.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(ct, _expired) : null;
        try
        {
            return await read(state, linked?.Token ?? _expired);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && _expired.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw _timedOut();
        }
    }

    private sealed class BoundStream(Stream inner, AttemptBoundContent content) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            content.BoundAsync(static (state, token) => state.inner.ReadAsync(state.buffer, token), (inner, buffer), cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>A blocking read is bounded too: it waits for the bounded asynchronous one.</summary>
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
