using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace NewsApi.Data;

/// <summary>
/// Tells a failure to reach PostgreSQL (refused, dropped, timed out, shut down) from a failure of the statement itself,
/// however EF or Npgsql wrapped it. Only the first kind is worth a retry or a "come back later": the second would fail
/// again the same way.
/// </summary>
internal static class DatabaseFailure
{
    /// <summary>True when <paramref name="exception"/>, or anything it wraps, says the database could not be reached.</summary>
    /// <summary>
    /// A write that met another at the same rows (a unique key taken meanwhile, a deadlock): nothing of it was stored,
    /// and sending it again finds what the other stored.
    /// </summary>
    public static bool IsWriteConflict(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException p)
                return p.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;
        return false;
    }

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p when IsUnavailableState(p.SqlState):
                    return true;
                case PostgresException:
                    return false; // the server answered: the statement failed, not the connection
                case NpgsqlException:
                case SocketException:
                case RetryLimitExceededException:
                    return true;
                case AggregateException many when many.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// 08: connection exceptions; 57P01-57P03: the server is shutting down or starting (a restart); 53300: no
    /// connection slot left.
    /// </summary>
    static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300";

    /// <summary>
    /// Drops the pooled idle connections: after a restart of PostgreSQL each of them is dead, and without this every one
    /// would fail one more request before the pool learnt it.
    /// </summary>
    public static void ForgetConnections() => NpgsqlConnection.ClearAllPools();
}
