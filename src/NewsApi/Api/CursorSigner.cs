using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NewsApi.Api;

/// <summary>Settings of the <c>Paging</c> section.</summary>
internal sealed class PagingOptions
{
    public const string Section = "Paging";

    /// <summary>
    /// Base64 of at least 32 random bytes: the HMAC key cursors are signed with. Every instance must share it. Required
    /// outside Development and Testing, where a key made for the process stands in.
    /// </summary>
    public string? CursorKey { get; set; }

    public const int MinKeyBytes = 32;

    public static IServiceCollection Add(IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<PagingOptions>().Bind(config.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PagingOptions>, Validator>();
        services.AddSingleton<CursorSigner>();
        return services;
    }

    internal static byte[]? KeyOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var n) && n >= MinKeyBytes ? bytes[..n] : null;
    }

    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<PagingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PagingOptions o)
        {
            if (string.IsNullOrWhiteSpace(o.CursorKey))
                return environment.IsDevelopment() || environment.IsEnvironment("Testing")
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail($"{Section}:CursorKey is required: set it to base64 of at least {MinKeyBytes} random bytes (openssl rand -base64 32), the same on every instance.");
            return KeyOf(o.CursorKey) is null
                ? ValidateOptionsResult.Fail($"{Section}:CursorKey must be base64 of at least {MinKeyBytes} bytes.")
                : ValidateOptionsResult.Success;
        }
    }
}

/// <summary>
/// Signs cursors with HMAC-SHA256, over the payload and the identity of the list that gave it out, so that a cursor
/// that was altered, cut short, made elsewhere or taken from another list is refused instead of read.
/// </summary>
internal sealed class CursorSigner(IOptions<PagingOptions> options)
{
    const int MacBytes = 16;

    // Development and tests without a configured key: one for the process, so every app in it agrees.
    static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(PagingOptions.MinKeyBytes);

    readonly byte[] _key = PagingOptions.KeyOf(options.Value.CursorKey) ?? ProcessKey;

    /// <summary>The payload and its MAC, as base64url.</summary>
    public string Seal(string list, ReadOnlySpan<byte> payload)
    {
        var sealedBytes = new byte[payload.Length + MacBytes];
        payload.CopyTo(sealedBytes);
        Mac(list, payload, sealedBytes.AsSpan(payload.Length));
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The payload of a cursor this service sealed for <paramref name="list"/>, or null.</summary>
    public byte[]? Open(string list, string text)
    {
        if (text.Length > 1024)
            return null;
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length <= MacBytes)
            return null;
        var payload = sealedBytes.AsSpan(0, sealedBytes.Length - MacBytes);
        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(list, payload, expected);
        return CryptographicOperations.FixedTimeEquals(expected, sealedBytes.AsSpan(payload.Length)) ? payload.ToArray() : null;
    }

    void Mac(string list, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        var listBytes = Encoding.UTF8.GetBytes(list);
        var input = new byte[4 + listBytes.Length + payload.Length];
        BitConverter.TryWriteBytes(input, listBytes.Length);
        listBytes.CopyTo(input, 4);
        payload.CopyTo(input.AsSpan(4 + listBytes.Length));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        mac[..MacBytes].CopyTo(destination);
    }
}
