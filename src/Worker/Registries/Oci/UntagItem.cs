namespace RegistryCleaner.Worker.Registries.Oci;

public sealed partial class OciClient
{
    /// <summary>One tag of an untag batch: its command's own attempts and outcome, and what the tag pointed at when read.</summary>
    private sealed class UntagItem
    {
        private const int Waiting = 0, Sealed = 1, Withdrawn = 2;
        private int _state;

        private UntagItem(string tag, string readDigest, string? digest, string? mediaType, OciManifest? restoreTo, bool interrupted, OperationAttempts attempts)
        {
            Tag = tag;
            ReadDigest = readDigest;
            Digest = digest;
            MediaType = mediaType;
            RestoreTo = restoreTo;
            Interrupted = interrupted;
            Attempts = attempts;
        }

        public string Tag { get; }

        /// <summary>What the tag pointed at when it was read: it is re-pointed only while it still does.</summary>
        public string ReadDigest { get; }

        /// <summary>The image the tag pointed at (for a tag found on a throw-away manifest: the digest that batch recorded, if any).</summary>
        public string? Digest { get; }

        public string? MediaType { get; }

        /// <summary>The manifest to put back if the command fails; null where only the digest is kept (read again to restore).</summary>
        public OciManifest? RestoreTo { get; }

        /// <summary>The tag was found on a throw-away manifest: a worker stopped between re-pointing it and the DELETE.</summary>
        public bool Interrupted { get; }

        public OperationAttempts Attempts { get; }
        public TaskCompletionSource<DeletionResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A re-pointing PUT was sent and the tag not yet put back: if the command fails, the tag is put back (while it is still on this batch's manifest).</summary>
        public bool PutSent { get; set; }

        /// <summary>The tag was gone when the batch came to re-point it.</summary>
        public bool FoundAbsent { get; set; }

        /// <summary>The PUT was refused with MANIFEST_BLOB_UNKNOWN or DIGEST_INVALID: the throw-away config blob must be uploaded again.</summary>
        public bool ConfigBlobMissing { get; set; }

        public RegistryFailureException? Failure { get; set; }

        /// <summary>The batch takes the item; false when its command was given up first.</summary>
        public bool TrySeal() => Interlocked.CompareExchange(ref _state, Sealed, Waiting) == Waiting;

        /// <summary>The command gives up; false once a batch has taken the item (its outcome then comes from that batch).</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

        /// <param name="keepManifest">Keep the manifest to put back; false keeps only its digest (a repository delete, bounded memory).</param>
        public static UntagItem Of(string tag, OciManifest current, OperationAttempts attempts, bool keepManifest) =>
            ThrowawayManifest.IsThrowaway(current.Content)
                ? new UntagItem(tag, current.Digest, ThrowawayManifest.OriginalOf(current.Content, tag), null, null, interrupted: true, attempts)
                : new UntagItem(tag, current.Digest, current.Digest, current.MediaType, keepManifest ? current : null, interrupted: false, attempts);
    }
}
