using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NewsApi.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between the app and PostgreSQL that a test can close (every connection through it drops,
/// new ones are hung up on at once) and open again, to cut the database without stopping it.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly IPEndPoint _target;
    readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;
    volatile bool _open = true;

    TcpGate(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    long _sent;

    /// <summary>Bytes the clients have sent through the gate: whether anything went this way at all.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>A gate to the server of <paramref name="connectionString"/>, and the same connection string through it.</summary>
    public static (TcpGate Gate, string ConnectionString) To(string connectionString)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var gate = new TcpGate(new IPEndPoint(IPAddress.Parse(settings.Host == "localhost" ? "127.0.0.1" : settings.Host!), settings.Port));
        settings.Host = "127.0.0.1";
        settings.Port = gate.Port;
        settings.Timeout = 3; // a cut is noticed in seconds, not the default 15
        return (gate, settings.ConnectionString);
    }

    /// <summary>Drops every connection through the gate; until <see cref="Open"/>, new ones are closed as they come.</summary>
    public void Close()
    {
        _open = false;
        foreach (var socket in _sockets.Keys)
            Drop(socket);
    }

    public void Open() => _open = true;

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (!_open)
            {
                Drop(client);
                continue;
            }
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets[client] = 0;
        _sockets[server] = 0;
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server, counted: true), PumpAsync(server, client, counted: false));
        }
        catch (Exception)
        {
            // A dropped or refused side: the other one goes too.
        }
        finally
        {
            Drop(client);
            Drop(server);
        }
    }

    async Task PumpAsync(Socket from, Socket to, bool counted)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await from.ReceiveAsync(buffer, _stop.Token) is var read and > 0)
            {
                if (counted)
                    Interlocked.Add(ref _sent, read);
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception)
        {
        }
    }

    void Drop(Socket socket)
    {
        _sockets.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0); // a reset, as a dead server or network gives
            socket.Close();
        }
        catch (Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets.Keys)
            Drop(socket);
        await _accepting;
        _stop.Dispose();
    }
}
