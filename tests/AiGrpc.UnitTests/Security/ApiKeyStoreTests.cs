using AiGrpc.Server.Security;
using Microsoft.Extensions.Options;

namespace AiGrpc.UnitTests.Security;

public class ApiKeyStoreTests
{
    private static ApiKeyStore Store(bool allowAnonymous = false, params (string Name, string Key)[] keys)
    {
        var options = new AuthOptions { AllowAnonymous = allowAnonymous };
        foreach (var (name, key) in keys)
        {
            options.ApiKeys[name] = key;
        }

        return new ApiKeyStore(Options.Create(options));
    }

    [Fact]
    public void Finds_the_caller_of_a_clear_text_key()
    {
        var store = Store(false, ("odoo", "k-odoo-123"), ("erp", "k-erp-456"));
        Assert.Equal("odoo", store.FindCaller("k-odoo-123"));
        Assert.Equal("erp", store.FindCaller("k-erp-456"));
    }

    [Fact]
    public void Finds_the_caller_of_a_hashed_key()
    {
        var store = Store(false, ("odoo", ApiKeyStore.Hash("s3cret")));
        Assert.Equal("odoo", store.FindCaller("s3cret"));
        Assert.Null(store.FindCaller(ApiKeyStore.Hash("s3cret")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("k-odoo-12")]
    [InlineData("k-odoo-1234")]
    [InlineData("K-ODOO-123")]
    public void Rejects_keys_that_are_not_configured(string presented)
    {
        var store = Store(false, ("odoo", "k-odoo-123"));
        Assert.Null(store.FindCaller(presented));
    }

    [Fact]
    public void Anonymous_mode_only_when_no_key_is_configured()
    {
        Assert.True(Store(true).AllowAnonymous);
        Assert.False(Store(true, ("odoo", "k")).AllowAnonymous);
        Assert.False(Store(false).AllowAnonymous);
    }

    [Fact]
    public void Hash_is_lowercase_sha256_hex_with_prefix()
    {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyStore.Hash("abc"));
    }

    [Fact]
    public void A_malformed_hash_is_refused_at_start()
    {
        Assert.Throws<OptionsValidationException>(() => Store(false, ("odoo", "sha256:xyz")));
    }
}
