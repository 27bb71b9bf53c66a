using System.Security.Cryptography;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// The SII public keys that sign CAFs (folio authorizations), by IDK. The two published keys are
/// embedded; operators and tests may add keys (e.g. a test "SII" that signs fixture CAFs).
/// </summary>
public sealed class SiiKeyRing
{
    /// <summary>IDK 100: SII certification (test) environment.</summary>
    public const int CertificationIdk = 100;

    /// <summary>IDK 300: SII production environment.</summary>
    public const int ProductionIdk = 300;

    // Source: SII, published CAF-signing public keys (certificates "IDK 100" for certificación and
    // "IDK 300" for producción, distributed by the SII for verifying the FRMA of a CAF). These are
    // the SubjectPublicKeyInfo of those certificates: public facts, not secrets.
    private const string Idk100Pem = """
        -----BEGIN PUBLIC KEY-----
        MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMj78A3LIaVQAKWFUixd5SinPgzhbMA6
        seXqfeSyooER41L6743LfVHjSavUsQXc1PZ8+eExFQWMnwFUKRuMcVMCAwEAAQ==
        -----END PUBLIC KEY-----
        """;

    private const string Idk300Pem = """
        -----BEGIN PUBLIC KEY-----
        MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAJ3uv8XuvZbfTHz1Pxv6Fdhdc+8ExnGP
        jAez94Xv7nXntO9aOuB5wyZakA5F9gKJCvb7T6+iuNaTj38BHDWFszUCAwEAAQ==
        -----END PUBLIC KEY-----
        """;

    private readonly Dictionary<int, RSAParameters> _keys = [];

    /// <summary>The embedded SII keys only.</summary>
    public static SiiKeyRing Default() => new SiiKeyRing().Add(CertificationIdk, Idk100Pem).Add(ProductionIdk, Idk300Pem);

    /// <summary>Adds (or replaces) the key of an IDK from a PEM public key or certificate.</summary>
    public SiiKeyRing Add(int idk, string pem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        _keys[idk] = rsa.ExportParameters(false);
        return this;
    }

    /// <summary>Adds (or replaces) the key of an IDK.</summary>
    public SiiKeyRing Add(int idk, RSAParameters publicKey)
    {
        _keys[idk] = new RSAParameters { Modulus = publicKey.Modulus, Exponent = publicKey.Exponent };
        return this;
    }

    /// <summary>Known IDKs.</summary>
    public IEnumerable<int> Idks => _keys.Keys;

    /// <summary>The key of an IDK, or false when unknown.</summary>
    public bool TryGet(int idk, out RSAParameters key) => _keys.TryGetValue(idk, out key);
}
