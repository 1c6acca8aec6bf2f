"""Secret scanning, placeholder e-mails and nixpkgs doc examples in the dataset validators."""

import time

import pytest

from nanodex.dataset.example import make_example
from nanodex.dataset.nixcode import is_doc_example
from nanodex.dataset.secrets import first_secret, redact, scan
from nanodex.dataset.validate import Validators, is_placeholder_email, personal_email

# One line per assignment form; each must be caught (issue 15 row 1: a test per form).
SECRET_FORMS = {
    "aws_secret_access_key, keyword inside the name":
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    "AWS secret key with no quotes (credentials file)": "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz",
    "JSON password": '{"password": "Tr0ub4d3"}',
    "JSON with spaces": '{ "db_password" :  "hj8#kPq2" }',
    "8-character password, double quotes": 'password = "hj8kPq2z"',
    "short password, single quotes": "password = 'k9!x'",
    "Nix attribute with semicolon": '  services.foo.password = "n0tS0s3cret";',
    "Nix indented string": "  initialPassword = ''hj8kPq2z'';",
    "backticks": "const apiKey = `AbCdEf123456`;",
    "YAML quoted": 'api_key: "AbCdEf123456"',
    "YAML unquoted": "api_key: AbCdEf123456",
    "env file": "DB_PASSWORD=hunter22",
    "shell export quoted": 'export SECRET_TOKEN="9f8e7d6c5b4a"',
    "walrus": 'secret := "s3cr3tvalue"',
    "arrow": "'password' => 'Pa55w0rd!'",
    "Python dict subscript": "cfg['auth_token'] = 'abc123xyz789'",
    "Python keyword argument": 'connect(host="db", password="x7Yp2Qw9")',
    "comparison": 'if password == "letmein42":',
    "reverse comparison": 'if ("letmein42" == my_password) {',
    "C++ constructor": 'std::string secret("s3cr3t-v4lue");',
    "URL query token": "https://api.example.net/v1?access_token=Zx81kLm2Qp0&x=1",
    "basic auth in a URL": "postgres://admin:Qw3rty9x@db.internal:5432/app",
    "bearer header": 'curl -H "Authorization: Bearer abcDEF1234567890ghijKL"',
    "GitHub token": "token ghp_" + "a" * 36,
    "AWS access key id": "AKIA" + "ABCDEFGHIJKLMNOP",
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----",
    "OpenAI project key": "OPENAI=sk-proj-" + "A1b2C3d4" * 4,
    "Slack token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "Stripe key": "sk_live_" + "a1B2" * 6,
    "GitLab token": "glpat-" + "x1Y2z3" * 4,
    "Google API key": "AIza" + "B" * 35,
    "wireguard private key in Nix": 'privateKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";',
    "Nix hashed password": 'hashedPassword = "$6$rounds=4096$saltsalt$AbCdEfGhIjKl";',
}

# Lines that look alike but hold no secret: they must stay (Nix configs are full of them).
NOT_SECRETS = [
    "passwordFile = config.sops.secrets.db.path;",
    'services.foo.passwordFile = "/run/keys/foo-password";',
    "hashedPassword = null;",
    "secretKeyFile = mkOption { type = types.path; };",
    "password = cfg.password;",
    'password = "${cfg.password}";',
    'password = "<your password>";',
    "token = get_token()",
    'token_url = "https://oauth2.example.com/token";',
    "max_tokens: 100000",
    "Password: see the manual below.",
    "The secret key is read from a file.",
    'password = "...";',
    "secret_key = os.environ['SECRET_KEY']",
    "export API_KEY=$API_KEY",
    "postgres://user:password@localhost/db",
    'publicKey = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";',
    "passthru.tests = { inherit (nixosTests) foo; };",
    'sha256 = "0v3qwg5h2nwf0b5mz1ncwsyb1vqbxvf9b7lwzxkgjvgf9dwjnn0d";',
    # shapes measured on home-manager's modules and tests (false positives of a first version)
    'passwordCommand = "pass show mail/work";',
    'api_key_env_var = "MISTRAL_API_KEY";',
    'client_secret = "CLIENT_SECRET";',
    'privatekey = "nsecXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";',
    'PASSWORD_STORE_KEY = "12345678";',
    'PASSWORD_STORE_CLIP_TIME = "60";',
    'api_key = "$(cat /run/secrets/deepseek-api-key)";',
    "lib.mapAttrsToList (secret: secretFile: ''",
    "renderCredentials = creds: ''",
    'lastfm-secret = "Last.fm API secret";',
    "authToken: '${{ secrets.CACHIX_AUTH_TOKEN }}'",
    'credentialsSbtPath = ".sbt/1.0/credentials.sbt";',
]


@pytest.mark.parametrize("form", sorted(SECRET_FORMS))
def test_every_secret_form_is_caught(form):
    line = SECRET_FORMS[form]
    found = first_secret("Here is my config:\n" + line + "\nDoes it work?")
    assert found is not None, form
    assert found.line == 2
    ex = make_example("sys", "How do I set this up? " + line, "Like so: it works fine for me.", "c", "s", [], "g")
    assert Validators().secrets(ex).startswith("secret:")


@pytest.mark.parametrize("line", NOT_SECRETS)
def test_lookalikes_are_kept(line):
    assert list(scan(line)) == [], line


def test_secret_in_the_answer_or_system_prompt_is_caught():
    ex = make_example("sys", "How do I connect?", 'Use `password = "hj8kPq2z";` in the module.', "c", "s", [], "g")
    assert Validators().check(ex) == "secret:keyword_assignment"
    ex = make_example('token = "AbCdEf123456"', "How do I connect?", "With the module's options, as shown.",
                      "c", "s", [], "g")
    assert Validators().check(ex) == "secret:keyword_assignment"


def test_redact_removes_the_value():
    text = 'a\n{"password": "Tr0ub4d3"}\naws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'
    out = redact(text)
    assert "Tr0ub4d3" not in out and "wJalrXUtnFEMI" not in out and out.count("[REDACTED]") == 2


def test_prefilter_keeps_plain_text_fast():
    text = ("services.nginx.enable = true;\nenvironment.systemPackages = [ pkgs.git ];\n" * 2000)
    t0 = time.perf_counter()
    for _ in range(20):
        assert first_secret(text) is None
    assert time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize("address", ["admin@example.com", "root@mail.example.org", "me@example.net",
                                     "alice@corp.example", "bob@host.test", "x@y.invalid",
                                     "acme@localhost", "git@github.com"])
def test_placeholder_addresses_are_not_personal(address):
    assert is_placeholder_email(address)
    ex = make_example("sys", "How do I enable ACME?",
                      f"```nix\nsecurity.acme = {{ acceptTerms = true; defaults.email = \"{address}\"; }};\n```",
                      "c", "s", [], "g")
    assert Validators().check(ex) is None


def test_real_address_is_dropped_with_its_reason():
    assert personal_email("mail jane.doe@gmail.com or admin@example.com") == "jane.doe@gmail.com"
    assert personal_email("only admin@example.com here") is None
    ex = make_example("sys", "Who maintains it?", "Write to jane.doe@gmail.com for questions about it.",
                      "c", "s", [], "g")
    assert Validators().check(ex) == "email_address"


DOC_EXAMPLE = '''concatStringsSep "/" ["usr" "local" "bin"]
=> "usr/local/bin"'''


@pytest.mark.parametrize("block", [
    DOC_EXAMPLE,
    'optionalString true "some-string"\n=> "some-string"\noptionalString false "some-string"\n=> ""',
    'f x => "result"',
    "mapAttrs (name: value: name + \"-\" + value)\n   { x = \"foo\"; y = \"bar\"; }\n"
    "=> { x = \"x-foo\"; y = \"y-bar\"; }",
])
def test_nixpkgs_doc_examples_are_documentation(block):
    assert is_doc_example(block)
    ex = make_example("sys", "What does lib.strings.concatStringsSep do?",
                      f"It joins a list of strings with a separator.\n\n```nix\n{block}\n```", "c", "s", [], "g")
    assert Validators().check(ex) is None


@pytest.mark.parametrize("block", ['x = "a => b";', "# f x => 1\nf 1", "{ a = 1; }", "=> 1"])
def test_not_doc_examples(block):
    assert not is_doc_example(block)


def test_broken_nix_still_dropped_with_its_reason():
    ex = make_example("sys", "How do I enable nginx?", "```nix\nservices.nginx = { enable = true\n```\nThat is it.",
                      "c", "s", [], "g")
    assert Validators().check(ex) == "nix_code_does_not_parse"
