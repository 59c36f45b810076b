using System.Runtime.InteropServices;

namespace LocalFunctionsHost;

/// <summary>
/// Ctrl+C and SIGTERM ask for an orderly stop (the worker gets WorkerTerminate); a second
/// signal while stopping is left to its default action, so a stuck host can still be ended.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public Task<PosixSignal> Requested => _requested.Task;

    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (_requested.TrySetResult(context.Signal))
        {
            context.Cancel = true;
            _cancellation.Cancel();
        }
    }
}
