using System.Runtime.InteropServices;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>POSIX signals that .NET's Process cannot send (it only kills).</summary>
public static class Signals
{
    public const int Terminate = 15, Stop = 19, Continue = 18;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
            throw new InvalidOperationException($"Signal {signal} to process {processId} failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
