using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Security;

/// <summary>
/// The configured keys as SHA-256 digests, checked in constant time. Follows configuration changes
/// (<see cref="IOptionsMonitor{TOptions}"/>): a rotated or revoked key takes effect without a restart;
/// an invalid new configuration is refused and the previous keys stay in force.
/// </summary>
public sealed partial class ApiKeyStore : IDisposable
{
    private const string HashPrefix = "sha256:";
    private readonly IDisposable? _subscription;
    private readonly ILogger? _logger;
    private volatile Snapshot _snapshot;

    /// <summary>Builds a fixed store from <see cref="AuthOptions"/> (tests, tools).</summary>
    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _snapshot = Build(options.Value);
    }

    /// <summary>Builds the store and follows configuration changes.</summary>
    public ApiKeyStore(IOptionsMonitor<AuthOptions> options, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _snapshot = Build(options.CurrentValue);
        _subscription = options.OnChange(Reload);
    }

    /// <summary>True when no key is configured and anonymous development mode was asked for.</summary>
    public bool AllowAnonymous => _snapshot.AllowAnonymous;

    /// <summary>Number of configured keys.</summary>
    public int Count => _snapshot.Keys.Length;

    /// <summary>Caller names, sorted (for logs; never keys).</summary>
    public IReadOnlyList<string> Callers => [.. _snapshot.Keys.Select(k => k.Name).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// The caller name of <paramref name="presentedKey"/>, or null. Every configured digest is
    /// compared, each in constant time, so the time taken does not reveal which key came close.
    /// </summary>
    public string? FindCaller(ReadOnlySpan<char> presentedKey) => Find(presentedKey)?.Name;

    /// <summary>The caller and scopes of <paramref name="presentedKey"/>, or null (constant time per key).</summary>
    public ApiKeyEntry? Find(ReadOnlySpan<char> presentedKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        // Encoded on the stack (keys are short; a long one goes to the heap): this runs for every authenticated request.
        var max = Encoding.UTF8.GetMaxByteCount(presentedKey.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(presentedKey, bytes);
        SHA256.HashData(bytes[..length], digest);
        ApiKeyEntry? found = null;
        foreach (var entry in _snapshot.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, entry.Digest))
            {
                found ??= entry;
            }
        }

        return found;
    }

    /// <summary>The <c>sha256:</c> form of a key, as accepted in configuration.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>True when a configured key is given as its <c>sha256:</c> digest (its length says nothing of the key's).</summary>
    public static bool IsDigest(string configured) =>
        configured is not null && configured.Trim().StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    internal static byte[] ToDigest(string configured)
    {
        if (configured.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = configured[HashPrefix.Length..];
            if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(Uri.IsHexDigit))
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions),
                    [string.Create(CultureInfo.InvariantCulture, $"A '{HashPrefix}' key must be {SHA256.HashSizeInBytes * 2} hex digits.")]);
            }

            return Convert.FromHexString(hex);
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(configured));
    }

    private void Reload(AuthOptions options)
    {
        try
        {
            var snapshot = Build(options);
            if (snapshot.Keys.Length == 0 && !snapshot.AllowAnonymous)
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), ["The new configuration has no API key."]);
            }

            _snapshot = snapshot;
            var callers = string.Join(", ", Callers);
            if (_logger is not null)
            {
                LogReloaded(_logger, snapshot.Keys.Length, callers);
            }
        }
        catch (OptionsValidationException e)
        {
            if (_logger is not null)
            {
                LogReloadRefused(_logger, e.Message);
            }
        }
    }

    private static Snapshot Build(AuthOptions options)
    {
        ApiKeyEntry[] keys = [.. options.AllKeys()
            .Where(k => !string.IsNullOrWhiteSpace(k.Key))
            .Select(k => new ApiKeyEntry(k.Caller, ToDigest(k.Key), [.. k.Scopes.Select(s => s.Trim().ToLowerInvariant())]))];
        return new Snapshot(keys, keys.Length == 0 && options.AllowAnonymous);
    }

    private sealed record Snapshot(ApiKeyEntry[] Keys, bool AllowAnonymous);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys reloaded: {Count} key(s) for callers [{Callers}]")]
    private static partial void LogReloaded(ILogger logger, int count, string callers);

    [LoggerMessage(Level = LogLevel.Error, Message = "New API-key configuration refused, previous keys stay in force: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);
}

/// <summary>One configured key: its caller, digest and scopes (empty = every scope).</summary>
public sealed record ApiKeyEntry(string Name, byte[] Digest, IReadOnlyList<string> Scopes)
{
    /// <summary>True when the key may call a service needing <paramref name="scope"/>.</summary>
    public bool Allows(string scope) => Scopes.Count == 0 || Scopes.Contains(scope, StringComparer.Ordinal);
}
