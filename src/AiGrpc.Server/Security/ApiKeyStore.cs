using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Security;

/// <summary>The configured keys as SHA-256 digests, checked in constant time.</summary>
public sealed class ApiKeyStore
{
    private const string HashPrefix = "sha256:";
    private readonly (string Name, byte[] Digest)[] _keys;

    /// <summary>Builds the store from <see cref="AuthOptions"/>.</summary>
    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.ApiKeys
            .Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
            .Select(kv => (kv.Key, ToDigest(kv.Value)))];
        AllowAnonymous = _keys.Length == 0 && options.Value.AllowAnonymous;
    }

    /// <summary>True when no key is configured and anonymous development mode was asked for.</summary>
    public bool AllowAnonymous { get; }

    /// <summary>Number of configured keys.</summary>
    public int Count => _keys.Length;

    /// <summary>
    /// The caller name of <paramref name="presentedKey"/>, or null. Every configured digest is
    /// compared, each in constant time, so the time taken does not reveal which key came close.
    /// </summary>
    public string? FindCaller(ReadOnlySpan<char> presentedKey)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presentedKey.ToArray());
        SHA256.HashData(bytes, digest);
        string? caller = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                caller ??= name;
            }
        }

        return caller;
    }

    /// <summary>The <c>sha256:</c> form of a key, as accepted in configuration.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

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
}
