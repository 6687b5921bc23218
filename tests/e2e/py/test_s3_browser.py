"""What browsers do with S3: presigned GET/PUT URLs (with X-Amz-Expires enforced on Stratus's
clock), HTML form POST uploads with policy documents, CORS preflights against the bucket's rules,
and static website hosting."""
import base64
import datetime
import json
import os
import urllib.parse
import xml.etree.ElementTree as ET

from botocore.config import Config

from s3_helpers import S3TestCase, md5_hex, multipart_form


def error_of(body):
    """(Code, Message) of an S3 <Error> body."""
    root = ET.fromstring(body)
    return root.findtext("Code"), root.findtext("Message")


class S3Presigned(S3TestCase):
    def path_of(self, url):
        u = urllib.parse.urlsplit(url)
        return u.path + ("?" + u.query if u.query else "")

    def test_presigned_get_put(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="doc.txt", Body=b"presigned body")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "doc.txt"}, ExpiresIn=300)
        status, _, body = self.raw("GET", self.path_of(url))
        self.assertEqual((status, body), (200, b"presigned body"))
        put = self.s3.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "up.bin", "ContentType": "image/png"},
                                             ExpiresIn=300)
        status, headers, _ = self.raw("PUT", self.path_of(put), body=b"\x89PNG", headers={"Content-Type": "image/png"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["etag"], '"%s"' % md5_hex(b"\x89PNG"))
        g = self.s3.get_object(Bucket=b, Key="up.bin")
        self.assertEqual((g["Body"].read(), g["ContentType"]), (b"\x89PNG", "image/png"))

    def v4(self):
        return self.client("s3", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))

    def test_presigned_expires_too_long(self):
        b = self.bucket()
        url = self.v4().generate_presigned_url("get_object", Params={"Bucket": b, "Key": "k"}, ExpiresIn=604801)
        status, _, body = self.raw("GET", self.path_of(url))
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>AuthorizationQueryParametersError</Code>", body)
        self.assertIn(b"X-Amz-Expires must be less than a week (in seconds) that is 604800", body)


class S3PresignedExpiry(S3TestCase):
    """Moves the server's clock: a class (and server) of its own."""
    path_of = S3Presigned.path_of
    v4 = S3Presigned.v4

    def test_presigned_expiry_on_the_clock(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="exp", Body=b"x")
        v4 = self.v4().generate_presigned_url("get_object", Params={"Bucket": b, "Key": "exp"}, ExpiresIn=60)
        self.assertIn("X-Amz-Expires=60", v4)
        # boto3's default presigner (query-string SigV2: an absolute Expires).
        v2 = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "exp"}, ExpiresIn=60)
        self.assertEqual(self.raw("GET", self.path_of(v4))[0], 200)
        self.assertEqual(self.raw("GET", self.path_of(v2))[0], 200)
        self.stratus.advance_clock(120)
        status, headers, body = self.raw("GET", self.path_of(v4))
        self.assertEqual(status, 403)
        self.assertEqual(error_of(body), ("AccessDenied", "Request has expired"))
        self.assertEqual(ET.fromstring(body).findtext("X-Amz-Expires"), "60")
        self.assertIsNotNone(ET.fromstring(body).findtext("ServerTime"))
        status, headers, body = self.raw("GET", self.path_of(v2))
        self.assertEqual((status, error_of(body)), (403, ("AccessDenied", "Request has expired")))


class S3PostUpload(S3TestCase):
    def post(self, bucket, body, content_type):
        return self.raw("POST", "/%s" % bucket, body=body, headers={"Content-Type": content_type})

    def test_presigned_post(self):
        b = self.bucket()
        p = self.s3.generate_presigned_post(b, "uploads/${filename}",
                                            Fields={"success_action_status": "201", "Content-Type": "text/plain"},
                                            Conditions=[{"success_action_status": "201"}, ["starts-with", "$Content-Type", "text/"],
                                                        ["content-length-range", 1, 1000]],
                                            ExpiresIn=600)
        body, ct = multipart_form(p["fields"], file_name="hello.txt", file_body=b"form upload")
        status, headers, resp = self.post(b, body, ct)
        self.assertEqual(status, 201, resp)
        self.assertIn(b"<Key>uploads/hello.txt</Key>", resp)
        self.assertIn(b"<Bucket>%s</Bucket>" % b.encode(), resp)
        self.assertEqual(headers["etag"], '"%s"' % md5_hex(b"form upload"))
        g = self.s3.get_object(Bucket=b, Key="uploads/hello.txt")
        self.assertEqual((g["Body"].read(), g["ContentType"]), (b"form upload", "text/plain"))

    def test_policy_conditions(self):
        b = self.bucket()
        p = self.s3.generate_presigned_post(b, "fixed.txt", Conditions=[["content-length-range", 1, 5]], ExpiresIn=600)
        body, ct = multipart_form(p["fields"], file_body=b"far too long")
        status, _, resp = self.post(b, body, ct)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>EntityTooLarge</Code>", resp)
        self.assertIn(b"<MaxSizeAllowed>5</MaxSizeAllowed>", resp)
        fields = dict(p["fields"], key="other.txt")
        body, ct = multipart_form(fields, file_body=b"abc")
        status, _, resp = self.post(b, body, ct)
        self.assertEqual(status, 403)
        self.assertEqual(error_of(resp), ("AccessDenied", 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "fixed.txt"]'))
        fields = dict(p["fields"], **{"x-amz-meta-extra": "1"})
        body, ct = multipart_form(fields, file_body=b"abc")
        status, _, resp = self.post(b, body, ct)
        self.assertEqual(status, 403)
        self.assertEqual(error_of(resp), ("AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra"))
        body, ct = multipart_form(p["fields"], file_body=b"abc")
        self.assertEqual(self.post(b, body, ct)[0], 204)

    def test_redirect_and_missing_fields(self):
        b = self.bucket()
        p = self.s3.generate_presigned_post(b, "r.txt", Fields={"success_action_redirect": "http://app.local/done"},
                                            Conditions=[{"success_action_redirect": "http://app.local/done"}])
        body, ct = multipart_form(p["fields"], file_body=b"r")
        status, headers, _ = self.post(b, body, ct)
        self.assertEqual(status, 303)
        loc = urllib.parse.urlsplit(headers["location"])
        q = urllib.parse.parse_qs(loc.query)
        self.assertEqual((loc.netloc, q["bucket"], q["key"], q["etag"]), ("app.local", [b], ["r.txt"], ['"%s"' % md5_hex(b"r")]))
        body, ct = multipart_form({"acl": "private"}, file_body=b"r")
        status, _, resp = self.post(b, body, ct)
        self.assertEqual(status, 400)
        self.assertIn(b"<ArgumentName>key</ArgumentName>", resp)
        status, _, resp = self.post(b, b"not a form", "multipart/form-data; boundary=zzz")
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>MalformedPOSTRequest</Code>", resp)

    def test_large_post_spills_to_disk(self):
        b = self.bucket()
        data = os.urandom(3 * 1024 * 1024)
        body, ct = multipart_form({"key": "big.bin"}, file_body=data)
        self.assertEqual(self.post(b, body, ct)[0], 204)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="big.bin")["Body"].read(), data)


class S3PostPolicyExpiry(S3TestCase):
    """Moves the server's clock: a class (and server) of its own."""

    def test_policy_expires_on_the_clock(self):
        b = self.bucket()
        p = self.s3.generate_presigned_post(b, "late.txt", ExpiresIn=600)
        body, ct = multipart_form(p["fields"], file_body=b"abc")
        self.assertEqual(self.raw("POST", "/" + b, body=body, headers={"Content-Type": ct})[0], 204)
        self.stratus.advance_clock(3600)
        status, _, resp = self.raw("POST", "/" + b, body=body, headers={"Content-Type": ct})
        self.assertEqual(status, 403)
        self.assertEqual(error_of(resp), ("AccessDenied", "Invalid according to Policy: Policy expired."))


class S3Cors(S3TestCase):
    def test_preflight_against_rules(self):
        b = self.bucket()
        status, _, body = self.raw("OPTIONS", "/%s/k" % b, headers={"Origin": "http://app.local",
                                                                  "Access-Control-Request-Method": "PUT"})
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>CORSResponse</Code><Message>CORS is not enabled for this bucket.</Message>", body)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["http://app.local", "https://*.example.com"], "AllowedMethods": ["GET", "PUT"],
             "AllowedHeaders": ["content-type", "x-amz-*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 300},
            {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]})
        self.assertEqual(len(self.s3.get_bucket_cors(Bucket=b)["CORSRules"]), 2)
        status, h, _ = self.raw("OPTIONS", "/%s/k" % b, headers={
            "Origin": "https://cdn.example.com", "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, X-Amz-Date"})
        self.assertEqual(status, 200)
        self.assertEqual(h["access-control-allow-origin"], "https://cdn.example.com")
        self.assertEqual(h["access-control-allow-methods"], "GET, PUT")
        self.assertEqual(h["access-control-allow-headers"], "content-type, x-amz-date")
        self.assertEqual(h["access-control-expose-headers"], "ETag")
        self.assertEqual(h["access-control-max-age"], "300")
        self.assertEqual(h["access-control-allow-credentials"], "true")
        # The wildcard rule answers GET from anywhere with "*".
        status, h, _ = self.raw("OPTIONS", "/%s/k" % b, headers={"Origin": "http://evil.local",
                                                                "Access-Control-Request-Method": "GET"})
        self.assertEqual((status, h["access-control-allow-origin"]), (200, "*"))
        for origin, method, hdrs in [("http://evil.local", "PUT", ""), ("http://app.local", "DELETE", ""),
                                     ("http://app.local", "PUT", "authorization")]:
            status, _, body = self.raw("OPTIONS", "/%s/k" % b, headers={
                "Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": hdrs})
            self.assertEqual(status, 403, (origin, method, hdrs))
            self.assertIn(b"This CORS request is not allowed.", body)
        # Actual requests carry the matching rule's headers.
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        status, h, _ = self.raw("GET", "/%s/k" % b, headers={"Origin": "http://app.local"})
        self.assertEqual((status, h["access-control-allow-origin"]), (200, "http://app.local"))
        self.assertEqual(h["access-control-expose-headers"], "ETag")
        self.s3.delete_bucket_cors(Bucket=b)
        code, status, err, _ = self.error(self.s3.get_bucket_cors, Bucket=b)
        self.assertEqual((code, status, err["Message"]), ("NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"))

    def test_invalid_cors(self):
        b = self.bucket()
        code, status, err, _ = self.error(self.s3.put_bucket_cors, Bucket=b, CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
        self.assertEqual((code, status), ("InvalidRequest", 400))
        self.assertEqual(err["Message"], "Found unsupported HTTP method in CORS config. Unsupported method is PATCH")


class S3Website(S3TestCase):
    def site(self):
        b = self.bucket()
        for key, body, ct in [("index.html", b"<h1>home</h1>", "text/html"), ("about/index.html", b"about", "text/html"),
                              ("404.html", b"custom not found", "text/html"), ("app.js", b"js()", "application/javascript")]:
            self.s3.put_object(Bucket=b, Key=key, Body=body, ContentType=ct)
        self.s3.put_object(Bucket=b, Key="old", Body=b"", WebsiteRedirectLocation="/app.js")
        return b

    def get(self, b, path, method="GET"):
        return self.raw(method, path, headers={"Host": "%s.s3-website.us-east-1.localhost:4566" % b})

    def test_website_hosting(self):
        b = self.site()
        status, _, body = self.get(b, "/")
        self.assertEqual(status, 404)
        self.assertIn(b"NoSuchWebsiteConfiguration", body)
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"},
                                                                  "ErrorDocument": {"Key": "404.html"}})
        self.assertEqual(self.s3.get_bucket_website(Bucket=b)["IndexDocument"]["Suffix"], "index.html")
        status, h, body = self.get(b, "/")
        self.assertEqual((status, body, h["content-type"]), (200, b"<h1>home</h1>", "text/html"))
        self.assertEqual(self.get(b, "/app.js")[2], b"js()")
        self.assertEqual(self.get(b, "/about/")[2], b"about")
        status, h, _ = self.get(b, "/about")
        self.assertEqual((status, h["location"]), (302, "/about/"))
        status, _, body = self.get(b, "/missing/page")
        self.assertEqual((status, body), (404, b"custom not found"))
        status, h, _ = self.get(b, "/old")
        self.assertEqual((status, h["location"]), (301, "/app.js"))
        status, h, body = self.get(b, "/", method="HEAD")
        self.assertEqual((status, body), (200, b""))
        # The path form serves the same site.
        status, _, body = self.raw("GET", "/_s3-website/%s/app.js" % b)
        self.assertEqual((status, body), (200, b"js()"))

    def test_error_page_without_document_and_routing_rules(self):
        b = self.site()
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"},
            "RoutingRules": [{"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "documents/"}},
                             {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
                              "Redirect": {"HostName": "fallback.local", "ReplaceKeyWith": "index.html"}}]})
        status, h, _ = self.get(b, "/docs/a.html")
        self.assertEqual(status, 301)
        self.assertTrue(h["location"].endswith("/documents/a.html"), h["location"])
        status, h, _ = self.get(b, "/nothing")
        self.assertEqual((status, h["location"]), (301, "http://fallback.local/index.html"))
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
        status, h, body = self.get(b, "/nothing")
        self.assertEqual(status, 404)
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        self.assertIn(b"<li>Code: NoSuchKey</li>", body)
        self.assertIn(b"<li>Key: nothing</li>", body)
        self.s3.delete_bucket_website(Bucket=b)
        code, status, _, _ = self.error(self.s3.get_bucket_website, Bucket=b)
        self.assertEqual((code, status), ("NoSuchWebsiteConfiguration", 404))

    def test_redirect_all_and_validation(self):
        b = self.site()
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={"RedirectAllRequestsTo": {"HostName": "www.example.com",
                                                                                            "Protocol": "https"}})
        status, h, _ = self.get(b, "/some/page")
        self.assertEqual((status, h["location"]), (301, "https://www.example.com/some/page"))
        code, status, _, _ = self.error(self.s3.put_bucket_website, Bucket=b,
                                        WebsiteConfiguration={"ErrorDocument": {"Key": "e.html"}})
        self.assertEqual((code, status), ("InvalidArgument", 400))
