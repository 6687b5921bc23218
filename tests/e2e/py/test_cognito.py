"""Cognito user pools through boto3 (1.43 and 1.26): pools, clients, users, groups, the auth flows
(USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH with client-side SRP math written here
from the documented algorithm, REFRESH_TOKEN_AUTH, NEW_PASSWORD_REQUIRED), and the issued RS256
tokens checked independently against the pool's JWKS fetched over HTTP."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import time
import unittest

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase

PASSWORD = "Correct-Horse9"


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def rsa_verify_rs256(jwk, signing_input, signature):
    """RSASSA-PKCS1-v1_5 with SHA-256, from RFC 8017 (no crypto library)."""
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    k = (n.bit_length() + 7) // 8
    em = pow(int.from_bytes(signature, "big"), e, n).to_bytes(k, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(signing_input).digest()
    return em == b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info


# --- SRP-6a as Cognito clients compute it (amazon-cognito-identity-js AuthenticationHelper) ---
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF")
N = int(N_HEX, 16)
G = 2


def pad_hex(n):
    h = "%x" % n
    if len(h) % 2:
        h = "0" + h
    elif h[0] in "89abcdef":
        h = "00" + h
    return h


def hex_hash(h):
    return hashlib.sha256(bytes.fromhex(h)).hexdigest()


K = int(hex_hash(pad_hex(N) + pad_hex(G)), 16)


class SrpClient:
    def __init__(self, pool_id):
        self.pool_name = pool_id.split("_", 1)[1]
        self.a = int.from_bytes(secrets.token_bytes(128), "big") % N
        self.A = pow(G, self.a, N)

    def srp_a(self):
        return "%x" % self.A

    def claim(self, params, password, now=None):
        B = int(params["SRP_B"], 16)
        salt = int(params["SALT"], 16)
        user_id = params["USER_ID_FOR_SRP"]
        u = int(hex_hash(pad_hex(self.A) + pad_hex(B)), 16)
        up = hashlib.sha256(("%s%s:%s" % (self.pool_name, user_id, password)).encode()).hexdigest()
        x = int(hex_hash(pad_hex(salt) + up), 16)
        S = pow((B - K * pow(G, x, N)) % N, self.a + u * x, N)
        prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(S)), hashlib.sha256).digest()
        key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
        now = now or datetime.datetime.now(datetime.timezone.utc)
        days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        ts = "%s %s %d %02d:%02d:%02d UTC %d" % (days[now.weekday()], months[now.month - 1], now.day, now.hour,
                                                 now.minute, now.second, now.year)
        msg = self.pool_name.encode() + user_id.encode() + base64.b64decode(params["SECRET_BLOCK"]) + ts.encode()
        sig = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
        return {"USERNAME": params["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}


def totp(secret_b32, at=None):
    """RFC 6238 with Cognito's parameters: HMAC-SHA1, 30-second steps, 6 digits."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF) % 1000000
    return "%06d" % code


def secret_hash(secret, username, client_id):
    return base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()).decode()


class CognitoTest(StratusTestCase):
    def setUp(self):
        self.idp = self.client("cognito-idp")

    def err(self, fn):
        with self.assertRaises(ClientError) as cm:
            fn()
        return cm.exception.response["Error"]

    def assertErr(self, fn, code, message=None):
        e = self.err(fn)
        self.assertEqual(e["Code"], code, e)
        if message is not None:
            self.assertEqual(e["Message"], message)
        return e

    def pool(self, **kw):
        kw.setdefault("PoolName", "pool-%s" % secrets.token_hex(3))
        return self.idp.create_user_pool(**kw)["UserPool"]

    def client_for(self, pool_id, **kw):
        kw.setdefault("ClientName", "app")
        kw.setdefault("ExplicitAuthFlows", ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        return self.idp.create_user_pool_client(UserPoolId=pool_id, **kw)["UserPoolClient"]

    def codes(self, pool_id, username=None):
        q = "?userPoolId=" + pool_id + ("&username=" + username if username else "")
        status, _, body = self.stratus.http("GET", "/_stratus/cognito-idp/codes" + q)
        self.assertEqual(status, 200)
        return json.loads(body)["codes"]

    def jwks(self, pool_id):
        status, headers, body = self.stratus.http("GET", "/%s/.well-known/jwks.json" % pool_id)
        self.assertEqual(status, 200)
        self.assertIn("application/json", headers["content-type"])
        return json.loads(body)

    def verify(self, token, pool_id):
        h, p, s = token.split(".")
        header = json.loads(b64url_decode(h))
        self.assertEqual(header["alg"], "RS256")
        keys = [k for k in self.jwks(pool_id)["keys"] if k["kid"] == header["kid"]]
        self.assertEqual(len(keys), 1)
        self.assertEqual((keys[0]["kty"], keys[0]["use"], keys[0]["alg"]), ("RSA", "sig", "RS256"))
        self.assertTrue(rsa_verify_rs256(keys[0], (h + "." + p).encode(), b64url_decode(s)), "bad signature")
        # A flipped payload byte no longer verifies.
        forged = json.loads(b64url_decode(p))
        forged["sub"] = "someone-else"
        fp = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        self.assertFalse(rsa_verify_rs256(keys[0], (h + "." + fp).encode(), b64url_decode(s)))
        return json.loads(b64url_decode(p))

    def user_with_password(self, pool_id, username, attrs=(), password=PASSWORD):
        self.idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                                   UserAttributes=[{"Name": k, "Value": v} for k, v in attrs])
        self.idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)

    # --- pools and clients ---

    def test_pools_describe_list_update_delete(self):
        p = self.pool(PoolName="main", Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False}},
                      AutoVerifiedAttributes=["email"], AliasAttributes=["email", "preferred_username"],
                      Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
                      LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:000000000000:function:pre"},
                      MfaConfiguration="OFF", UserPoolTags={"team": "a"})
        self.assertRegex(p["Id"], r"^us-east-1_[0-9A-Za-z]{9}$")
        self.assertEqual(p["Arn"], "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + p["Id"])
        self.assertEqual(p["Name"], "main")
        pp = p["Policies"]["PasswordPolicy"]
        self.assertEqual(pp["MinimumLength"], 10)
        self.assertFalse(pp["RequireSymbols"])
        self.assertTrue(pp["RequireUppercase"])
        self.assertEqual(pp["TemporaryPasswordValidityDays"], 7)
        self.assertEqual(p["AutoVerifiedAttributes"], ["email"])
        self.assertEqual(p["AliasAttributes"], ["email", "preferred_username"])
        self.assertEqual(p["LambdaConfig"]["PreSignUp"], "arn:aws:lambda:us-east-1:000000000000:function:pre")
        self.assertEqual(p["MfaConfiguration"], "OFF")
        self.assertEqual(p["DeletionProtection"], "INACTIVE")
        self.assertIsInstance(p["CreationDate"], datetime.datetime)
        names = [a["Name"] for a in p["SchemaAttributes"]]
        self.assertIn("sub", names)
        self.assertIn("email", names)
        self.assertIn("custom:tier", names)
        self.assertEqual(p["EstimatedNumberOfUsers"], 0)
        d = self.idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
        self.assertEqual(d["Id"], p["Id"])
        self.assertEqual(d["UserPoolTags"], {"team": "a"})

        # Only one of AliasAttributes and UsernameAttributes.
        self.assertErr(lambda: self.idp.create_user_pool(PoolName="x", AliasAttributes=["email"],
                                                         UsernameAttributes=["email"]),
                       "InvalidParameterException",
                       "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")

        ids = {p["Id"]}
        for i in range(2):
            ids.add(self.pool(PoolName="extra%d" % i)["Id"])
        seen, token = [], None
        while True:
            kw = {"MaxResults": 1}
            if token:
                kw["NextToken"] = token
            r = self.idp.list_user_pools(**kw)
            self.assertLessEqual(len(r["UserPools"]), 1)
            seen += [x["Id"] for x in r["UserPools"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertTrue(ids <= set(seen))
        self.assertEqual(len(seen), len(set(seen)))

        self.idp.update_user_pool(UserPoolId=p["Id"], MfaConfiguration="OFF", AutoVerifiedAttributes=[],
                                  DeletionProtection="ACTIVE",
                                  Policies={"PasswordPolicy": {"MinimumLength": 12}})
        d = self.idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
        self.assertEqual(d["Policies"]["PasswordPolicy"]["MinimumLength"], 12)
        self.assertEqual(d["AliasAttributes"], ["email", "preferred_username"])
        self.assertEqual(d["DeletionProtection"], "ACTIVE")
        self.assertErr(lambda: self.idp.delete_user_pool(UserPoolId=p["Id"]), "InvalidParameterException")
        self.idp.update_user_pool(UserPoolId=p["Id"], DeletionProtection="INACTIVE")
        self.idp.delete_user_pool(UserPoolId=p["Id"])
        self.assertErr(lambda: self.idp.describe_user_pool(UserPoolId=p["Id"]), "ResourceNotFoundException",
                       "User pool %s does not exist." % p["Id"])

    def test_clients(self):
        p = self.pool()
        c = self.client_for(p["Id"], ClientName="web", GenerateSecret=True, AccessTokenValidity=2,
                            IdTokenValidity=30, TokenValidityUnits={"AccessToken": "hours", "IdToken": "minutes"})
        self.assertRegex(c["ClientId"], r"^[a-z0-9]{26}$")
        self.assertTrue(c["ClientSecret"])
        self.assertEqual(c["UserPoolId"], p["Id"])
        self.assertEqual(c["RefreshTokenValidity"], 30)
        self.assertEqual(c["AccessTokenValidity"], 2)
        self.assertEqual(c["TokenValidityUnits"]["IdToken"], "minutes")
        self.assertIn("ALLOW_USER_SRP_AUTH", c["ExplicitAuthFlows"])
        d = self.idp.describe_user_pool_client(UserPoolId=p["Id"], ClientId=c["ClientId"])["UserPoolClient"]
        self.assertEqual(d["ClientSecret"], c["ClientSecret"])
        plain = self.client_for(p["Id"], ClientName="mobile")
        self.assertNotIn("ClientSecret", plain)
        listed = self.idp.list_user_pool_clients(UserPoolId=p["Id"], MaxResults=1)
        self.assertEqual(len(listed["UserPoolClients"]), 1)
        rest = self.idp.list_user_pool_clients(UserPoolId=p["Id"], MaxResults=10, NextToken=listed["NextToken"])
        self.assertEqual({x["ClientName"] for x in listed["UserPoolClients"] + rest["UserPoolClients"]}, {"web", "mobile"})
        u = self.idp.update_user_pool_client(UserPoolId=p["Id"], ClientId=c["ClientId"], ClientName="web2",
                                             ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
        self.assertEqual(u["ClientName"], "web2")
        self.assertEqual(u["ClientSecret"], c["ClientSecret"])
        self.assertEqual(u["ExplicitAuthFlows"], ["ALLOW_REFRESH_TOKEN_AUTH"])
        self.assertErr(lambda: self.idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="x",
                                                                ExplicitAuthFlows=["USER_PASSWORD_AUTH",
                                                                                   "ALLOW_USER_SRP_AUTH"]),
                       "InvalidParameterException")
        self.idp.delete_user_pool_client(UserPoolId=p["Id"], ClientId=c["ClientId"])
        self.assertErr(lambda: self.idp.describe_user_pool_client(UserPoolId=p["Id"], ClientId=c["ClientId"]),
                       "ResourceNotFoundException", "User pool client %s does not exist." % c["ClientId"])
        self.assertErr(lambda: self.idp.describe_user_pool(UserPoolId="us-east-1_doesnotex"),
                       "ResourceNotFoundException", "User pool us-east-1_doesnotex does not exist.")
        self.assertErr(lambda: self.idp.describe_user_pool(UserPoolId="bad"), "InvalidParameterException")

    def test_add_custom_attributes(self):
        p = self.pool(Schema=[{"Name": "tier", "AttributeDataType": "String"}])
        self.idp.add_custom_attributes(UserPoolId=p["Id"], CustomAttributes=[
            {"Name": "score", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0"}}])
        schema = {a["Name"]: a for a in self.idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"]["SchemaAttributes"]}
        self.assertEqual(schema["custom:score"]["AttributeDataType"], "Number")
        self.assertIn("custom:tier", schema)
        self.assertErr(lambda: self.idp.add_custom_attributes(UserPoolId=p["Id"], CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String"}]), "InvalidParameterException",
            "Existing attribute already has name custom:tier.")
        self.user_with_password(p["Id"], "pia", [("custom:score", "42")])
        attrs = {a["Name"]: a["Value"] for a in self.idp.admin_get_user(UserPoolId=p["Id"], Username="pia")["UserAttributes"]}
        self.assertEqual(attrs["custom:score"], "42")

    def test_username_case_sensitivity(self):
        loose = self.pool(UsernameConfiguration={"CaseSensitive": False})
        cid = self.client_for(loose["Id"])["ClientId"]
        self.user_with_password(loose["Id"], "Quinn")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=loose["Id"], Username="quinn")["Username"], "Quinn")
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="QUINN", Password=PASSWORD),
                       "UsernameExistsException")
        res = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "qUiNn", "PASSWORD": PASSWORD})
        self.assertEqual(self.verify(res["AuthenticationResult"]["IdToken"], loose["Id"])["cognito:username"], "Quinn")
        strict = self.pool()
        self.user_with_password(strict["Id"], "Quinn")
        self.assertErr(lambda: self.idp.admin_get_user(UserPoolId=strict["Id"], Username="quinn"), "UserNotFoundException")

    def test_resource_servers(self):
        p = self.pool()
        pid = p["Id"]
        rs = self.idp.create_resource_server(UserPoolId=pid, Identifier="https://api.example.com", Name="api",
                                             Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}])["ResourceServer"]
        self.assertEqual((rs["UserPoolId"], rs["Identifier"], rs["Name"]), (pid, "https://api.example.com", "api"))
        self.assertEqual(rs["Scopes"], [{"ScopeName": "read", "ScopeDescription": "Read"}])
        self.assertErr(lambda: self.idp.create_resource_server(UserPoolId=pid, Identifier="https://api.example.com",
                                                               Name="dup"), "InvalidParameterException")
        self.idp.create_resource_server(UserPoolId=pid, Identifier="orders", Name="orders")
        listed = self.idp.list_resource_servers(UserPoolId=pid, MaxResults=1)
        self.assertEqual(len(listed["ResourceServers"]), 1)
        rest = self.idp.list_resource_servers(UserPoolId=pid, MaxResults=10, NextToken=listed["NextToken"])
        self.assertEqual(sorted(r["Identifier"] for r in listed["ResourceServers"] + rest["ResourceServers"]),
                         ["https://api.example.com", "orders"])
        up = self.idp.update_resource_server(UserPoolId=pid, Identifier="orders", Name="orders2",
                                             Scopes=[{"ScopeName": "write", "ScopeDescription": "Write"}])["ResourceServer"]
        self.assertEqual(up["Name"], "orders2")
        self.assertEqual(self.idp.describe_resource_server(UserPoolId=pid, Identifier="orders")["ResourceServer"]["Scopes"],
                         [{"ScopeName": "write", "ScopeDescription": "Write"}])
        self.idp.delete_resource_server(UserPoolId=pid, Identifier="orders")
        self.assertErr(lambda: self.idp.describe_resource_server(UserPoolId=pid, Identifier="orders"),
                       "ResourceNotFoundException")

    def oauth(self, form, basic=None):
        import urllib.parse
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % basic).encode()).decode()
        status, _, body = self.stratus.http("POST", "/_aws/cognito-idp/oauth2/token", urllib.parse.urlencode(form),
                                            headers)
        return status, json.loads(body)

    def test_oauth_token_endpoint(self):
        p = self.pool()
        pid = p["Id"]
        self.idp.create_resource_server(UserPoolId=pid, Identifier="orders", Name="orders",
                                        Scopes=[{"ScopeName": "read", "ScopeDescription": "r"},
                                                {"ScopeName": "write", "ScopeDescription": "w"}])
        m2m = self.idp.create_user_pool_client(UserPoolId=pid, ClientName="m2m", GenerateSecret=True,
                                               AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["orders/read"],
                                               AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
        cid, secret = m2m["ClientId"], m2m["ClientSecret"]
        status, body = self.oauth({"grant_type": "client_credentials"}, (cid, secret))
        self.assertEqual(status, 200, body)
        self.assertEqual((body["token_type"], body["expires_in"]), ("Bearer", 3600))
        claims = self.verify(body["access_token"], pid)
        self.assertEqual((claims["sub"], claims["client_id"], claims["token_use"], claims["scope"]),
                         (cid, cid, "access", "orders/read"))
        status, body = self.oauth({"grant_type": "client_credentials", "scope": "orders/read",
                                   "client_id": cid, "client_secret": secret})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.oauth({"grant_type": "client_credentials", "scope": "orders/write"}, (cid, secret)),
                         (400, {"error": "invalid_scope"}))
        self.assertEqual(self.oauth({"grant_type": "client_credentials"}, (cid, "x" * 51)), (400, {"error": "invalid_client"}))
        self.assertEqual(self.oauth({"grant_type": "password"}, (cid, secret)), (400, {"error": "unsupported_grant_type"}))
        # The refresh_token grant for a user's refresh token.
        public = self.client_for(pid)["ClientId"]
        self.user_with_password(pid, "rita")
        res = self.idp.initiate_auth(ClientId=public, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "rita", "PASSWORD": PASSWORD})["AuthenticationResult"]
        status, body = self.oauth({"grant_type": "refresh_token", "client_id": public, "refresh_token": res["RefreshToken"]})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.verify(body["id_token"], pid)["cognito:username"], "rita")
        self.assertEqual(self.oauth({"grant_type": "refresh_token", "client_id": public, "refresh_token": "bogus"}),
                         (400, {"error": "invalid_grant"}))

    def test_domains(self):
        p = self.pool()
        other = self.pool()
        name = "auth-" + secrets.token_hex(4)
        self.idp.create_user_pool_domain(UserPoolId=p["Id"], Domain=name)
        self.assertErr(lambda: self.idp.create_user_pool_domain(UserPoolId=other["Id"], Domain=name),
                       "InvalidParameterException", "Domain already associated with another user pool.")
        d = self.idp.describe_user_pool_domain(Domain=name)["DomainDescription"]
        self.assertEqual((d["UserPoolId"], d["Domain"], d["Status"], d["AWSAccountId"]),
                         (p["Id"], name, "ACTIVE", "000000000000"))
        self.assertEqual(d["CloudFrontDistribution"], name + ".auth.us-east-1.amazoncognito.com")
        self.assertEqual(self.idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"]["Domain"], name)
        self.assertEqual(self.idp.describe_user_pool_domain(Domain="nope-" + name)["DomainDescription"], {})
        self.idp.delete_user_pool_domain(UserPoolId=p["Id"], Domain=name)
        self.assertEqual(self.idp.describe_user_pool_domain(Domain=name)["DomainDescription"], {})
        self.assertNotIn("Domain", self.idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"])

    def test_tags(self):
        p = self.pool()
        self.idp.tag_resource(ResourceArn=p["Arn"], Tags={"a": "1", "b": "2"})
        self.assertEqual(self.idp.list_tags_for_resource(ResourceArn=p["Arn"])["Tags"], {"a": "1", "b": "2"})
        self.idp.untag_resource(ResourceArn=p["Arn"], TagKeys=["a"])
        self.assertEqual(self.idp.list_tags_for_resource(ResourceArn=p["Arn"])["Tags"], {"b": "2"})
        self.assertErr(lambda: self.idp.list_tags_for_resource(
            ResourceArn="arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_missing00"),
            "ResourceNotFoundException")

    # --- sign-up, confirmation, password auth, tokens ---

    def test_sign_up_confirm_and_tokens(self):
        p = self.pool(AutoVerifiedAttributes=["email"],
                      Schema=[{"Name": "tier", "AttributeDataType": "String"}])
        c = self.client_for(p["Id"])
        cid = c["ClientId"]
        e = self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="alice", Password="short"),
                           "InvalidPasswordException")
        self.assertTrue(e["Message"].startswith("Password did not conform with policy: "), e["Message"])
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="alice", Password="alllowercase1!"),
                       "InvalidPasswordException",
                       "Password did not conform with policy: Password must have uppercase characters")
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="alice", Password=PASSWORD,
                                                UserAttributes=[{"Name": "custom:nope", "Value": "x"}]),
                       "InvalidParameterException")
        r = self.idp.sign_up(ClientId=cid, Username="alice", Password=PASSWORD,
                             UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                                             {"Name": "custom:tier", "Value": "gold"}])
        self.assertFalse(r["UserConfirmed"])
        self.assertRegex(r["UserSub"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(r["CodeDeliveryDetails"],
                         {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="alice", Password=PASSWORD),
                       "UsernameExistsException", "User already exists")
        self.assertErr(lambda: self.idp.sign_up(ClientId="nosuchclient0000000000000", Username="x", Password=PASSWORD),
                       "ResourceNotFoundException")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}),
                       "UserNotConfirmedException", "User is not confirmed.")
        u = self.idp.admin_get_user(UserPoolId=p["Id"], Username="alice")
        self.assertEqual(u["UserStatus"], "UNCONFIRMED")

        codes = self.codes(p["Id"], "alice")
        self.assertEqual(len(codes), 1)
        self.assertEqual(codes[0]["purpose"], "SIGN_UP")
        self.assertRegex(codes[0]["code"], r"^\d{6}$")
        wrong = "000000" if codes[0]["code"] != "000000" else "111111"
        self.assertErr(lambda: self.idp.confirm_sign_up(ClientId=cid, Username="alice", ConfirmationCode=wrong),
                       "CodeMismatchException", "Invalid verification code provided, please try again.")
        self.idp.resend_confirmation_code(ClientId=cid, Username="alice")
        code = self.codes(p["Id"], "alice")[0]["code"]
        self.idp.confirm_sign_up(ClientId=cid, Username="alice", ConfirmationCode=code)
        self.assertErr(lambda: self.idp.confirm_sign_up(ClientId=cid, Username="alice", ConfirmationCode=code),
                       "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
        self.assertErr(lambda: self.idp.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=code),
                       "UserNotFoundException", "Username/client id combination not found.")
        u = self.idp.admin_get_user(UserPoolId=p["Id"], Username="alice")
        self.assertEqual(u["UserStatus"], "CONFIRMED")
        attrs = {a["Name"]: a["Value"] for a in u["UserAttributes"]}
        self.assertEqual(attrs["email_verified"], "true")
        self.assertEqual(attrs["sub"], r["UserSub"])

        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "alice", "PASSWORD": "Wrong-pass1"}),
                       "NotAuthorizedException", "Incorrect username or password.")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD}),
                       "UserNotFoundException", "User does not exist.")
        auth = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})
        res = auth["AuthenticationResult"]
        self.assertEqual(res["ExpiresIn"], 3600)
        self.assertEqual(res["TokenType"], "Bearer")
        self.assertTrue(res["RefreshToken"])
        iss = "https://cognito-idp.us-east-1.amazonaws.com/" + p["Id"]
        idc = self.verify(res["IdToken"], p["Id"])
        self.assertEqual(idc["sub"], r["UserSub"])
        self.assertEqual(idc["iss"], iss)
        self.assertEqual(idc["aud"], cid)
        self.assertEqual(idc["token_use"], "id")
        self.assertEqual(idc["cognito:username"], "alice")
        self.assertIs(idc["email_verified"], True)
        self.assertEqual(idc["email"], "alice@example.com")
        self.assertEqual(idc["custom:tier"], "gold")
        self.assertEqual(idc["exp"] - idc["iat"], 3600)
        for k in ("origin_jti", "event_id", "jti", "auth_time"):
            self.assertIn(k, idc)
        ac = self.verify(res["AccessToken"], p["Id"])
        self.assertEqual(ac["token_use"], "access")
        self.assertEqual(ac["client_id"], cid)
        self.assertEqual(ac["username"], "alice")
        self.assertEqual(ac["scope"], "aws.cognito.signin.user.admin")
        self.assertEqual(ac["iss"], iss)
        self.assertEqual(ac["origin_jti"], idc["origin_jti"])
        self.assertEqual(ac["event_id"], idc["event_id"])
        self.assertNotIn("aud", ac)
        self.assertNotIn("cognito:groups", ac)

        me = self.idp.get_user(AccessToken=res["AccessToken"])
        self.assertEqual(me["Username"], "alice")
        self.assertIn({"Name": "email", "Value": "alice@example.com"}, me["UserAttributes"])
        self.assertErr(lambda: self.idp.get_user(AccessToken=res["IdToken"]), "NotAuthorizedException",
                       "Invalid Access Token")
        self.assertErr(lambda: self.idp.get_user(AccessToken="not.a.token"), "NotAuthorizedException")

        ref = self.idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                     AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})["AuthenticationResult"]
        self.assertNotIn("RefreshToken", ref)
        rc = self.verify(ref["AccessToken"], p["Id"])
        self.assertEqual(rc["origin_jti"], ac["origin_jti"])
        self.assertEqual(rc["auth_time"], ac["auth_time"])
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                                      AuthParameters={"REFRESH_TOKEN": "bogus"}),
                       "NotAuthorizedException", "Invalid Refresh Token")

        self.assertErr(lambda: self.idp.change_password(AccessToken=res["AccessToken"], PreviousPassword="Wrong-pass1",
                                                        ProposedPassword="New-Password2"),
                       "NotAuthorizedException", "Incorrect username or password.")
        self.assertErr(lambda: self.idp.change_password(AccessToken=res["AccessToken"], PreviousPassword=PASSWORD,
                                                        ProposedPassword="weak"), "InvalidPasswordException")
        self.idp.change_password(AccessToken=res["AccessToken"], PreviousPassword=PASSWORD,
                                 ProposedPassword="New-Password2")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}),
                       "NotAuthorizedException")
        again = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": "alice", "PASSWORD": "New-Password2"})
        self.assertIn("AuthenticationResult", again)

        self.idp.global_sign_out(AccessToken=res["AccessToken"])
        self.assertErr(lambda: self.idp.get_user(AccessToken=res["AccessToken"]), "NotAuthorizedException",
                       "Access Token has been revoked")
        self.assertErr(lambda: self.idp.get_user(AccessToken=again["AuthenticationResult"]["AccessToken"]),
                       "NotAuthorizedException", "Access Token has been revoked")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                                      AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]}),
                       "NotAuthorizedException", "Refresh Token has been revoked")
        fresh = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": "alice", "PASSWORD": "New-Password2"})
        self.assertEqual(self.idp.get_user(AccessToken=fresh["AuthenticationResult"]["AccessToken"])["Username"], "alice")
        # RevokeToken: the refresh token and the access tokens it issued stop working.
        self.idp.revoke_token(Token=fresh["AuthenticationResult"]["RefreshToken"], ClientId=cid)
        self.assertErr(lambda: self.idp.get_user(AccessToken=fresh["AuthenticationResult"]["AccessToken"]),
                       "NotAuthorizedException", "Access Token has been revoked")

    def test_flow_not_enabled_and_secret_hash(self):
        p = self.pool()
        only_srp = self.idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="srp")["UserPoolClient"]
        self.user_with_password(p["Id"], "carol")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=only_srp["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD}),
                       "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
        self.assertErr(lambda: self.idp.admin_initiate_auth(UserPoolId=p["Id"], ClientId=only_srp["ClientId"],
                                                            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                                            AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD}),
                       "InvalidParameterException", "Auth flow not enabled for this client")
        sc = self.client_for(p["Id"], GenerateSecret=True)
        cid, secret = sc["ClientId"], sc["ClientSecret"]
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD}),
                       "NotAuthorizedException",
                       "Client %s is configured with secret but SECRET_HASH was not received" % cid)
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD,
                                                                      "SECRET_HASH": secret_hash("wrong", "carol", cid)}),
                       "NotAuthorizedException", "Unable to verify secret hash for client " + cid)
        res = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD,
                                                     "SECRET_HASH": secret_hash(secret, "carol", cid)})
        self.assertIn("AccessToken", res["AuthenticationResult"])
        r = self.idp.sign_up(ClientId=cid, Username="dave", Password=PASSWORD,
                             SecretHash=secret_hash(secret, "dave", cid))
        self.assertFalse(r["UserConfirmed"])
        self.assertNotIn("CodeDeliveryDetails", r)
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="erin", Password=PASSWORD),
                       "NotAuthorizedException")
        ref = self.idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                     AuthParameters={"REFRESH_TOKEN": res["AuthenticationResult"]["RefreshToken"],
                                                     "SECRET_HASH": secret_hash(secret, "carol", cid)})
        self.assertIn("IdToken", ref["AuthenticationResult"])
        adm = self.idp.admin_initiate_auth(UserPoolId=p["Id"], ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                           AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD,
                                                           "SECRET_HASH": secret_hash(secret, "carol", cid)})
        self.assertEqual(self.verify(adm["AuthenticationResult"]["IdToken"], p["Id"])["aud"], cid)
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD}),
                       "InvalidParameterException", "Initiate Auth method not supported.")

    def test_admin_create_user_new_password_required(self):
        p = self.pool()
        cid = self.client_for(p["Id"])["ClientId"]
        u = self.idp.admin_create_user(UserPoolId=p["Id"], Username="frank", TemporaryPassword="Temp-Pass1",
                                       MessageAction="SUPPRESS",
                                       UserAttributes=[{"Name": "email", "Value": "frank@example.com"},
                                                       {"Name": "email_verified", "Value": "true"}])["User"]
        self.assertEqual(u["Username"], "frank")
        self.assertEqual(u["UserStatus"], "FORCE_CHANGE_PASSWORD")
        self.assertTrue(u["Enabled"])
        self.assertIn("sub", {a["Name"] for a in u["Attributes"]})
        self.assertErr(lambda: self.idp.admin_create_user(UserPoolId=p["Id"], Username="frank",
                                                          MessageAction="SUPPRESS"),
                       "UsernameExistsException", "User account already exists")
        self.assertErr(lambda: self.idp.admin_create_user(UserPoolId=p["Id"], Username="weak",
                                                          TemporaryPassword="x", MessageAction="SUPPRESS"),
                       "InvalidPasswordException")
        ch = self.idp.admin_initiate_auth(UserPoolId=p["Id"], ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                          AuthParameters={"USERNAME": "frank", "PASSWORD": "Temp-Pass1"})
        self.assertEqual(ch["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertTrue(ch["Session"])
        self.assertEqual(ch["ChallengeParameters"]["USER_ID_FOR_SRP"], "frank")
        self.assertEqual(json.loads(ch["ChallengeParameters"]["userAttributes"])["email"], "frank@example.com")
        self.assertErr(lambda: self.idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "weak"}), "InvalidPasswordException")
        self.assertErr(lambda: self.idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session="bogus-session-" + "x" * 40,
            ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "Final-Pass1"}), "NotAuthorizedException")
        done = self.idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "Final-Pass1", "userAttributes.name": "Frank"})
        self.assertEqual(self.verify(done["AuthenticationResult"]["IdToken"], p["Id"])["name"], "Frank")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=p["Id"], Username="frank")["UserStatus"], "CONFIRMED")
        # The same flow through the admin challenge API.
        self.idp.admin_create_user(UserPoolId=p["Id"], Username="gina", TemporaryPassword="Temp-Pass1",
                                   MessageAction="SUPPRESS")
        ch = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "gina", "PASSWORD": "Temp-Pass1"})
        done = self.idp.admin_respond_to_auth_challenge(
            UserPoolId=p["Id"], ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "gina", "NEW_PASSWORD": "Final-Pass1"})
        self.assertIn("AccessToken", done["AuthenticationResult"])

    def test_user_admin_operations_and_list_users(self):
        p = self.pool()
        pid = p["Id"]
        cid = self.client_for(pid)["ClientId"]
        for name, email, given in [("ann", "ann@x.com", "Ann"), ("andy", "andy@y.com", "Andy"),
                                   ("bert", "bert@x.com", "Bert")]:
            self.user_with_password(pid, name, [("email", email), ("given_name", given)])
        self.assertErr(lambda: self.idp.admin_get_user(UserPoolId=pid, Username="zed"), "UserNotFoundException",
                       "User does not exist.")
        self.assertErr(lambda: self.idp.admin_set_user_password(UserPoolId=pid, Username="ann", Password="bad",
                                                                Permanent=True), "InvalidPasswordException")

        r = self.idp.list_users(UserPoolId=pid, Filter='email = "ann@x.com"')
        self.assertEqual([u["Username"] for u in r["Users"]], ["ann"])
        r = self.idp.list_users(UserPoolId=pid, Filter='given_name ^= "An"')
        self.assertEqual(sorted(u["Username"] for u in r["Users"]), ["andy", "ann"])
        r = self.idp.list_users(UserPoolId=pid, Filter='username = "bert"', AttributesToGet=["email"])
        self.assertEqual(r["Users"][0]["Attributes"], [{"Name": "email", "Value": "bert@x.com"}])
        self.assertEqual(r["Users"][0]["UserStatus"], "CONFIRMED")
        self.assertErr(lambda: self.idp.list_users(UserPoolId=pid, Filter="email = unquoted"),
                       "InvalidParameterException")
        first = self.idp.list_users(UserPoolId=pid, Limit=2)
        self.assertEqual(len(first["Users"]), 2)
        second = self.idp.list_users(UserPoolId=pid, Limit=2, PaginationToken=first["PaginationToken"])
        self.assertNotIn("PaginationToken", second)
        self.assertEqual(sorted(u["Username"] for u in first["Users"] + second["Users"]), ["andy", "ann", "bert"])

        self.idp.admin_update_user_attributes(UserPoolId=pid, Username="ann",
                                              UserAttributes=[{"Name": "family_name", "Value": "Lee"},
                                                              {"Name": "email", "Value": "ann@z.com"}])
        attrs = {a["Name"]: a["Value"] for a in self.idp.admin_get_user(UserPoolId=pid, Username="ann")["UserAttributes"]}
        self.assertEqual(attrs["family_name"], "Lee")
        self.assertEqual(attrs["email"], "ann@z.com")
        self.idp.admin_delete_user_attributes(UserPoolId=pid, Username="ann", UserAttributeNames=["family_name"])
        attrs = {a["Name"] for a in self.idp.admin_get_user(UserPoolId=pid, Username="ann")["UserAttributes"]}
        self.assertNotIn("family_name", attrs)
        self.assertErr(lambda: self.idp.admin_update_user_attributes(
            UserPoolId=pid, Username="ann", UserAttributes=[{"Name": "custom:missing", "Value": "1"}]),
            "InvalidParameterException")

        self.idp.admin_disable_user(UserPoolId=pid, Username="ann")
        self.assertFalse(self.idp.admin_get_user(UserPoolId=pid, Username="ann")["Enabled"])
        self.assertEqual([u["Username"] for u in self.idp.list_users(UserPoolId=pid, Filter='status = "Disabled"')["Users"]],
                         ["ann"])
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD}),
                       "NotAuthorizedException", "User is disabled.")
        self.idp.admin_enable_user(UserPoolId=pid, Username="ann")
        tok = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD})["AuthenticationResult"]
        self.idp.update_user_attributes(AccessToken=tok["AccessToken"],
                                        UserAttributes=[{"Name": "nickname", "Value": "annie"}])
        self.assertIn({"Name": "nickname", "Value": "annie"},
                      self.idp.get_user(AccessToken=tok["AccessToken"])["UserAttributes"])
        self.idp.admin_user_global_sign_out(UserPoolId=pid, Username="ann")
        self.assertErr(lambda: self.idp.get_user(AccessToken=tok["AccessToken"]), "NotAuthorizedException")

        tok = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "bert", "PASSWORD": PASSWORD})["AuthenticationResult"]
        self.idp.delete_user(AccessToken=tok["AccessToken"])
        self.assertErr(lambda: self.idp.admin_get_user(UserPoolId=pid, Username="bert"), "UserNotFoundException")
        self.idp.admin_delete_user(UserPoolId=pid, Username="andy")
        self.assertErr(lambda: self.idp.admin_delete_user(UserPoolId=pid, Username="andy"), "UserNotFoundException")
        self.assertEqual([u["Username"] for u in self.idp.list_users(UserPoolId=pid)["Users"]], ["ann"])
        self.assertEqual(self.idp.describe_user_pool(UserPoolId=pid)["UserPool"]["EstimatedNumberOfUsers"], 1)

        # AdminConfirmSignUp of a signed-up user.
        self.idp.sign_up(ClientId=cid, Username="hal", Password=PASSWORD)
        self.idp.admin_confirm_sign_up(UserPoolId=pid, Username="hal")
        self.assertErr(lambda: self.idp.admin_confirm_sign_up(UserPoolId=pid, Username="hal"), "NotAuthorizedException",
                       "User cannot be confirmed. Current status is CONFIRMED")

    def test_forgot_password(self):
        p = self.pool()
        cid = self.client_for(p["Id"])["ClientId"]
        self.user_with_password(p["Id"], "ivy", [("email", "ivy@example.com")])
        self.assertErr(lambda: self.idp.forgot_password(ClientId=cid, Username="nobody"), "UserNotFoundException")
        r = self.idp.forgot_password(ClientId=cid, Username="ivy")
        self.assertEqual(r["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        self.assertEqual(r["CodeDeliveryDetails"]["Destination"], "i***@e***")
        code = [c for c in self.codes(p["Id"], "ivy") if c["purpose"] == "FORGOT_PASSWORD"][0]["code"]
        wrong = "000000" if code != "000000" else "111111"
        self.assertErr(lambda: self.idp.confirm_forgot_password(ClientId=cid, Username="ivy", ConfirmationCode=wrong,
                                                                Password="Reset-Pass1"), "CodeMismatchException")
        self.assertErr(lambda: self.idp.confirm_forgot_password(ClientId=cid, Username="ivy", ConfirmationCode=code,
                                                                Password="weak"), "InvalidPasswordException")
        self.idp.confirm_forgot_password(ClientId=cid, Username="ivy", ConfirmationCode=code, Password="Reset-Pass1")
        res = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "ivy", "PASSWORD": "Reset-Pass1"})
        self.assertIn("AuthenticationResult", res)
        self.assertErr(lambda: self.idp.confirm_forgot_password(ClientId=cid, Username="ivy", ConfirmationCode=code,
                                                                Password="Reset-Pass2"), "CodeMismatchException")

    def test_prevent_user_existence_errors(self):
        p = self.pool(AutoVerifiedAttributes=["email"])
        cid = self.client_for(p["Id"], PreventUserExistenceErrors="ENABLED")["ClientId"]
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "ghost", "PASSWORD": PASSWORD}),
                       "NotAuthorizedException", "Incorrect username or password.")
        r = self.idp.forgot_password(ClientId=cid, Username="ghost")
        self.assertEqual(r["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        self.assertErr(lambda: self.idp.confirm_sign_up(ClientId=cid, Username="ghost", ConfirmationCode="123456"),
                       "CodeMismatchException")
        self.assertErr(lambda: self.idp.confirm_forgot_password(ClientId=cid, Username="ghost", ConfirmationCode="123456",
                                                                Password=PASSWORD), "CodeMismatchException")
        self.assertEqual(self.codes(p["Id"]), [])

    def test_totp_mfa(self):
        p = self.pool()
        pid = p["Id"]
        cid = self.client_for(pid)["ClientId"]
        self.idp.set_user_pool_mfa_config(UserPoolId=pid, SoftwareTokenMfaConfiguration={"Enabled": True},
                                          MfaConfiguration="OPTIONAL")
        self.user_with_password(pid, "sam")
        login = lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                               AuthParameters={"USERNAME": "sam", "PASSWORD": PASSWORD})
        tok = login()["AuthenticationResult"]
        self.assertErr(lambda: self.idp.set_user_mfa_preference(
            AccessToken=tok["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}),
            "InvalidParameterException", "User has not verified software token mfa")
        secret = self.idp.associate_software_token(AccessToken=tok["AccessToken"])["SecretCode"]
        self.assertRegex(secret, r"^[A-Z2-7]{32}$")
        wrong = "000000" if totp(secret) != "000000" else "111111"
        self.assertErr(lambda: self.idp.verify_software_token(AccessToken=tok["AccessToken"], UserCode=wrong),
                       "EnableSoftwareTokenMFAException")
        self.assertEqual(self.idp.verify_software_token(AccessToken=tok["AccessToken"], UserCode=totp(secret))["Status"],
                         "SUCCESS")
        self.idp.set_user_mfa_preference(AccessToken=tok["AccessToken"],
                                         SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        me = self.idp.get_user(AccessToken=tok["AccessToken"])
        self.assertEqual((me["UserMFASettingList"], me["PreferredMfaSetting"]), (["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA"))
        ch = login()
        self.assertEqual(ch["ChallengeName"], "SOFTWARE_TOKEN_MFA")
        self.assertNotIn("AuthenticationResult", ch)
        self.assertErr(lambda: self.idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "sam", "SOFTWARE_TOKEN_MFA_CODE": wrong}),
            "CodeMismatchException", "Invalid code received for user")
        done = self.idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "sam", "SOFTWARE_TOKEN_MFA_CODE": totp(secret)})
        self.assertEqual(self.verify(done["AuthenticationResult"]["AccessToken"], pid)["username"], "sam")
        self.idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="sam",
                                               SoftwareTokenMfaSettings={"Enabled": False})
        self.assertIn("AuthenticationResult", login())
        self.assertNotIn("UserMFASettingList", self.idp.admin_get_user(UserPoolId=pid, Username="sam"))

    def test_groups_and_groups_claim(self):
        p = self.pool()
        pid = p["Id"]
        cid = self.client_for(pid)["ClientId"]
        self.user_with_password(pid, "jack")
        g = self.idp.create_group(UserPoolId=pid, GroupName="admins", Description="Admins", Precedence=1)["Group"]
        self.assertEqual((g["GroupName"], g["UserPoolId"], g["Precedence"]), ("admins", pid, 1))
        self.assertIsInstance(g["CreationDate"], datetime.datetime)
        self.idp.create_group(UserPoolId=pid, GroupName="readers", Precedence=5)
        self.assertErr(lambda: self.idp.create_group(UserPoolId=pid, GroupName="admins"), "GroupExistsException",
                       "A group with the name admins already exists.")
        self.assertErr(lambda: self.idp.get_group(UserPoolId=pid, GroupName="nope"), "ResourceNotFoundException",
                       "Group not found.")
        self.assertEqual(self.idp.get_group(UserPoolId=pid, GroupName="admins")["Group"]["Description"], "Admins")
        self.assertEqual([x["GroupName"] for x in self.idp.list_groups(UserPoolId=pid)["Groups"]], ["admins", "readers"])
        page = self.idp.list_groups(UserPoolId=pid, Limit=1)
        self.assertEqual(len(page["Groups"]), 1)
        self.assertIn("NextToken", page)
        self.idp.admin_add_user_to_group(UserPoolId=pid, Username="jack", GroupName="readers")
        self.idp.admin_add_user_to_group(UserPoolId=pid, Username="jack", GroupName="admins")
        self.assertErr(lambda: self.idp.admin_add_user_to_group(UserPoolId=pid, Username="nobody", GroupName="admins"),
                       "UserNotFoundException")
        self.assertErr(lambda: self.idp.admin_add_user_to_group(UserPoolId=pid, Username="jack", GroupName="nope"),
                       "ResourceNotFoundException")
        self.assertEqual([x["GroupName"] for x in
                          self.idp.admin_list_groups_for_user(UserPoolId=pid, Username="jack")["Groups"]],
                         ["admins", "readers"])
        self.assertEqual([u["Username"] for u in self.idp.list_users_in_group(UserPoolId=pid, GroupName="admins")["Users"]],
                         ["jack"])
        res = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "jack", "PASSWORD": PASSWORD})["AuthenticationResult"]
        self.assertEqual(self.verify(res["AccessToken"], pid)["cognito:groups"], ["admins", "readers"])
        self.assertEqual(self.verify(res["IdToken"], pid)["cognito:groups"], ["admins", "readers"])
        self.idp.admin_remove_user_from_group(UserPoolId=pid, Username="jack", GroupName="admins")
        self.assertEqual(self.idp.list_users_in_group(UserPoolId=pid, GroupName="admins")["Users"], [])
        self.idp.delete_group(UserPoolId=pid, GroupName="readers")
        self.assertErr(lambda: self.idp.delete_group(UserPoolId=pid, GroupName="readers"), "ResourceNotFoundException")
        self.assertEqual(self.idp.admin_list_groups_for_user(UserPoolId=pid, Username="jack")["Groups"], [])

    def test_user_srp_auth(self):
        p = self.pool()
        pid = p["Id"]
        c = self.client_for(pid, GenerateSecret=True)
        cid, secret = c["ClientId"], c["ClientSecret"]
        self.user_with_password(pid, "kate", [("email", "kate@example.com")])
        for password, ok in [(PASSWORD, True), ("Wrong-Pass9", False)]:
            srp = SrpClient(pid)
            ch = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH",
                                        AuthParameters={"USERNAME": "kate", "SRP_A": srp.srp_a(),
                                                        "SECRET_HASH": secret_hash(secret, "kate", cid)})
            self.assertEqual(ch["ChallengeName"], "PASSWORD_VERIFIER")
            params = ch["ChallengeParameters"]
            self.assertEqual(params["USER_ID_FOR_SRP"], "kate")
            self.assertRegex(params["SRP_B"], r"^[0-9a-f]+$")
            self.assertRegex(params["SALT"], r"^[0-9a-f]+$")
            responses = srp.claim(params, password)
            responses["SECRET_HASH"] = secret_hash(secret, "kate", cid)
            call = lambda: self.idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                                              ChallengeResponses=responses)
            if ok:
                res = call()["AuthenticationResult"]
                self.assertEqual(self.verify(res["IdToken"], pid)["email"], "kate@example.com")
            else:
                self.assertErr(call, "NotAuthorizedException", "Incorrect username or password.")
        # A secret block is good for one attempt only.
        srp = SrpClient(pid)
        ch = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH",
                                    AuthParameters={"USERNAME": "kate", "SRP_A": srp.srp_a(),
                                                    "SECRET_HASH": secret_hash(secret, "kate", cid)})
        responses = srp.claim(ch["ChallengeParameters"], PASSWORD)
        responses["SECRET_HASH"] = secret_hash(secret, "kate", cid)
        bad = dict(responses, TIMESTAMP="2026-01-01T00:00:00Z")
        self.assertErr(lambda: self.idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                                                  ChallengeResponses=bad), "InvalidParameterException")
        self.idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses)
        self.assertErr(lambda: self.idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                                                  ChallengeResponses=responses), "NotAuthorizedException")

    def test_email_as_username(self):
        p = self.pool(UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
        pid = p["Id"]
        cid = self.client_for(pid)["ClientId"]
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="not-an-email", Password=PASSWORD),
                       "InvalidParameterException", "Username should be an email.")
        r = self.idp.sign_up(ClientId=cid, Username="lena@example.com", Password=PASSWORD)
        code = self.codes(pid)[0]
        self.assertEqual(code["username"], r["UserSub"])
        self.idp.confirm_sign_up(ClientId=cid, Username="lena@example.com", ConfirmationCode=code["code"])
        self.assertErr(lambda: self.idp.sign_up(ClientId=cid, Username="lena@example.com", Password=PASSWORD),
                       "UsernameExistsException", "An account with the given email already exists.")
        res = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "lena@example.com", "PASSWORD": PASSWORD})
        claims = self.verify(res["AuthenticationResult"]["IdToken"], pid)
        self.assertEqual(claims["cognito:username"], r["UserSub"])
        self.assertEqual(claims["email"], "lena@example.com")
        u = self.idp.admin_get_user(UserPoolId=pid, Username="lena@example.com")
        self.assertEqual(u["Username"], r["UserSub"])
        # SRP with the email: USER_ID_FOR_SRP is the generated username.
        srp = SrpClient(pid)
        ch = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH",
                                    AuthParameters={"USERNAME": "lena@example.com", "SRP_A": srp.srp_a()})
        self.assertEqual(ch["ChallengeParameters"]["USER_ID_FOR_SRP"], r["UserSub"])
        ok = self.idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                                ChallengeResponses=srp.claim(ch["ChallengeParameters"], PASSWORD))
        self.assertIn("IdToken", ok["AuthenticationResult"])

    def test_attribute_verification_reset_and_mfa_config(self):
        p = self.pool(AutoVerifiedAttributes=["email"])
        pid = p["Id"]
        cid = self.client_for(pid)["ClientId"]
        self.user_with_password(pid, "nina", [("email", "nina@example.com"), ("nickname", "nin")])
        tok = self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "nina", "PASSWORD": PASSWORD})["AuthenticationResult"]
        r = self.idp.update_user_attributes(AccessToken=tok["AccessToken"],
                                            UserAttributes=[{"Name": "email", "Value": "nina@new.org"}])
        self.assertEqual(r["CodeDeliveryDetailsList"],
                         [{"Destination": "n***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}])
        attrs = {a["Name"]: a["Value"] for a in self.idp.get_user(AccessToken=tok["AccessToken"])["UserAttributes"]}
        self.assertEqual(attrs["email"], "nina@new.org")
        r = self.idp.get_user_attribute_verification_code(AccessToken=tok["AccessToken"], AttributeName="email")
        self.assertEqual(r["CodeDeliveryDetails"]["AttributeName"], "email")
        code = [c for c in self.codes(pid, "nina") if c["purpose"] == "VERIFY_email"][0]
        self.assertEqual(code["destination"], "nina@new.org")
        wrong = "000000" if code["code"] != "000000" else "111111"
        self.assertErr(lambda: self.idp.verify_user_attribute(AccessToken=tok["AccessToken"], AttributeName="email",
                                                              Code=wrong), "CodeMismatchException")
        self.idp.verify_user_attribute(AccessToken=tok["AccessToken"], AttributeName="email", Code=code["code"])
        attrs = {a["Name"]: a["Value"] for a in self.idp.get_user(AccessToken=tok["AccessToken"])["UserAttributes"]}
        self.assertEqual(attrs["email_verified"], "true")
        self.idp.delete_user_attributes(AccessToken=tok["AccessToken"], UserAttributeNames=["nickname"])
        attrs = {a["Name"] for a in self.idp.get_user(AccessToken=tok["AccessToken"])["UserAttributes"]}
        self.assertNotIn("nickname", attrs)

        # AdminResetUserPassword: sign-in stops until the user sets a new password with the code.
        self.idp.admin_reset_user_password(UserPoolId=pid, Username="nina")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pid, Username="nina")["UserStatus"], "RESET_REQUIRED")
        self.assertErr(lambda: self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                      AuthParameters={"USERNAME": "nina", "PASSWORD": PASSWORD}),
                       "PasswordResetRequiredException", "Password reset required for the user")
        code = [c for c in self.codes(pid, "nina") if c["purpose"] == "FORGOT_PASSWORD"][0]["code"]
        self.idp.confirm_forgot_password(ClientId=cid, Username="nina", ConfirmationCode=code, Password="Again-Pass1")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pid, Username="nina")["UserStatus"], "CONFIRMED")

        mfa = self.idp.get_user_pool_mfa_config(UserPoolId=pid)
        self.assertEqual(mfa["MfaConfiguration"], "OFF")
        self.idp.set_user_pool_mfa_config(UserPoolId=pid, SoftwareTokenMfaConfiguration={"Enabled": True},
                                          MfaConfiguration="OPTIONAL")
        mfa = self.idp.get_user_pool_mfa_config(UserPoolId=pid)
        self.assertEqual((mfa["MfaConfiguration"], mfa["SoftwareTokenMfaConfiguration"]), ("OPTIONAL", {"Enabled": True}))
        self.assertEqual(self.idp.describe_user_pool(UserPoolId=pid)["UserPool"]["MfaConfiguration"], "OPTIONAL")

        g = self.idp.create_group(UserPoolId=pid, GroupName="ops", Description="old")["Group"]
        u = self.idp.update_group(UserPoolId=pid, GroupName="ops", Description="new", Precedence=3)["Group"]
        self.assertEqual((u["Description"], u["Precedence"], u["CreationDate"]), ("new", 3, g["CreationDate"]))
        self.assertErr(lambda: self.idp.update_group(UserPoolId=pid, GroupName="nope", Description="x"),
                       "ResourceNotFoundException", "Group not found.")

    def test_well_known_documents(self):
        p = self.pool()
        keys = self.jwks(p["Id"])["keys"]
        self.assertEqual(len(keys), 1)
        self.assertEqual(keys[0]["e"], "AQAB")
        status, _, body = self.stratus.http("GET", "/%s/.well-known/openid-configuration" % p["Id"])
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual(doc["issuer"], "https://cognito-idp.us-east-1.amazonaws.com/" + p["Id"])
        self.assertEqual(doc["id_token_signing_alg_values_supported"], ["RS256"])
        status, _, body = self.stratus.http("GET", self.stratus.endpoint and
                                            "/" + doc["jwks_uri"].split("/", 3)[3])
        self.assertEqual(json.loads(body)["keys"], keys)
        status, _, _ = self.stratus.http("GET", "/us-east-1_missing00/.well-known/jwks.json")
        self.assertEqual(status, 404)

    def test_unimplemented_operation_is_501(self):
        e = self.err(lambda: self.idp.list_identity_providers(UserPoolId="us-east-1_abc", MaxResults=1))
        self.assertEqual(e["Code"], "NotImplemented")
        self.assertIn("ListIdentityProviders", e["Message"])


class CognitoClockTest(StratusTestCase):
    """Expiry on the process clock (POST /_stratus/clock moves it; nothing waits)."""

    def test_token_and_code_expiry(self):
        idp = self.client("cognito-idp")
        pid = idp.create_user_pool(PoolName="clock")["UserPool"]["Id"]
        cid = idp.create_user_pool_client(
            UserPoolId=pid, ClientName="c", AccessTokenValidity=5, RefreshTokenValidity=60,
            TokenValidityUnits={"AccessToken": "minutes", "RefreshToken": "minutes"},
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pid, Username="otto", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": "otto@example.com"}])
        idp.admin_set_user_password(UserPoolId=pid, Username="otto", Password=PASSWORD, Permanent=True)
        res = idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "otto", "PASSWORD": PASSWORD})["AuthenticationResult"]
        self.assertEqual(res["ExpiresIn"], 300)
        idp.forgot_password(ClientId=cid, Username="otto")
        _, _, body = self.stratus.http("GET", "/_stratus/cognito-idp/codes?userPoolId=" + pid)
        code = json.loads(body)["codes"][0]["code"]
        self.stratus.advance_clock(301)
        with self.assertRaises(ClientError) as cm:
            idp.get_user(AccessToken=res["AccessToken"])
        self.assertEqual(cm.exception.response["Error"]["Message"], "Access Token has expired")
        fresh = idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})["AuthenticationResult"]
        self.assertEqual(idp.get_user(AccessToken=fresh["AccessToken"])["Username"], "otto")
        self.stratus.advance_clock(3600)
        with self.assertRaises(ClientError) as cm:
            idp.confirm_forgot_password(ClientId=cid, Username="otto", ConfirmationCode=code, Password="New-Pass12")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ExpiredCodeException")
        with self.assertRaises(ClientError) as cm:
            idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})
        self.assertEqual(cm.exception.response["Error"]["Message"], "Refresh Token has expired")


    def test_temporary_password_expires(self):
        idp = self.client("cognito-idp")
        pid = idp.create_user_pool(PoolName="temp", Policies={"PasswordPolicy": {
            "MinimumLength": 8, "TemporaryPasswordValidityDays": 2}})["UserPool"]["Id"]
        cid = idp.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                          ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pid, Username="tess", TemporaryPassword="Temp-Pass1", MessageAction="SUPPRESS")
        ch = idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "tess", "PASSWORD": "Temp-Pass1"})
        self.assertEqual(ch["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.stratus.advance_clock(3 * 86400)
        with self.assertRaises(ClientError) as cm:
            idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "tess", "PASSWORD": "Temp-Pass1"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "NotAuthorizedException")
        self.assertEqual(cm.exception.response["Error"]["Message"],
                         "Temporary password has expired and must be reset by an administrator.")


class CognitoPersistenceTest(StratusTestCase):
    def test_state_survives_restart_and_reset_wipes_it(self):
        idp = self.client("cognito-idp")
        pid = idp.create_user_pool(PoolName="durable")["UserPool"]["Id"]
        cid = idp.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                          ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                             "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pid, Username="max", MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pid, Username="max", Password=PASSWORD, Permanent=True)
        idp.create_group(UserPoolId=pid, GroupName="g")
        before = idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "max", "PASSWORD": PASSWORD})["AuthenticationResult"]
        _, _, jwks_before = self.stratus.http("GET", "/%s/.well-known/jwks.json" % pid)
        self.stratus.restart()
        idp = self.client("cognito-idp")
        self.assertEqual(idp.describe_user_pool(UserPoolId=pid)["UserPool"]["Name"], "durable")
        self.assertEqual(idp.get_user(AccessToken=before["AccessToken"])["Username"], "max")
        _, _, jwks_after = self.stratus.http("GET", "/%s/.well-known/jwks.json" % pid)
        self.assertEqual(json.loads(jwks_before), json.loads(jwks_after))
        ref = idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                AuthParameters={"REFRESH_TOKEN": before["RefreshToken"]})
        self.assertIn("AccessToken", ref["AuthenticationResult"])
        self.assertEqual([g["GroupName"] for g in idp.list_groups(UserPoolId=pid)["Groups"]], ["g"])
        self.stratus.reset()
        with self.assertRaises(ClientError) as cm:
            idp.describe_user_pool(UserPoolId=pid)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(idp.list_user_pools(MaxResults=10)["UserPools"], [])


if __name__ == "__main__":
    unittest.main()
