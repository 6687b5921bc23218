"""S3 multipart uploads through boto3: the md5-of-md5s ETag, part-size and ordering rules,
part copies with ranges, listings, aborts, and checksums of multipart objects."""
import base64
import hashlib
import os
import zlib

from s3_helpers import S3TestCase, has_param, md5_hex

MIB = 1024 * 1024


def mpu_etag(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))


class S3Multipart(S3TestCase):
    def upload(self, b, key, parts, **create):
        up = self.s3.create_multipart_upload(Bucket=b, Key=key, **create)
        uid = up["UploadId"]
        done = []
        for i, p in enumerate(parts, 1):
            r = self.s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=i, Body=p)
            self.assertEqual(r["ETag"], '"%s"' % md5_hex(p))
            done.append({"PartNumber": i, "ETag": r["ETag"]})
        return uid, done

    def test_complete_and_read(self):
        b = self.bucket()
        parts = [os.urandom(5 * MIB), os.urandom(5 * MIB), b"tail"]
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp/obj", ContentType="video/mp4", Metadata={"m": "1"})
        self.assertEqual((up["Bucket"], up["Key"]), (b, "mp/obj"))
        uid, done = up["UploadId"], []
        for i, p in enumerate(parts, 1):
            done.append({"PartNumber": i, "ETag": self.s3.upload_part(Bucket=b, Key="mp/obj", UploadId=uid,
                                                                       PartNumber=i, Body=p)["ETag"]})
        r = self.s3.complete_multipart_upload(Bucket=b, Key="mp/obj", UploadId=uid, MultipartUpload={"Parts": done})
        self.assertEqual(r["ETag"], mpu_etag(parts))
        self.assertEqual((r["Bucket"], r["Key"]), (b, "mp/obj"))
        self.assertTrue(r["Location"].endswith("/%s/mp/obj" % b))
        g = self.s3.get_object(Bucket=b, Key="mp/obj")
        self.assertEqual(g["Body"].read(), b"".join(parts))
        self.assertEqual((g["ContentType"], g["Metadata"], g["ETag"]), ("video/mp4", {"m": "1"}, mpu_etag(parts)))
        p2 = self.s3.get_object(Bucket=b, Key="mp/obj", PartNumber=2)
        self.assertEqual(p2["Body"].read(), parts[1])
        self.assertEqual(p2["PartsCount"], 3)
        self.assertEqual(p2["ContentRange"], "bytes %d-%d/%d" % (5 * MIB, 10 * MIB - 1, 10 * MIB + 4))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="mp/obj", PartNumber=3)["ContentLength"], 4)
        code, status, _, _ = self.error(self.s3.get_object, Bucket=b, Key="mp/obj", PartNumber=4)
        self.assertEqual((code, status), ("InvalidPartNumber", 416))
        # The upload is gone once completed.
        code, status, err, _ = self.error(self.s3.list_parts, Bucket=b, Key="mp/obj", UploadId=uid)
        self.assertEqual((code, status, err["UploadId"]), ("NoSuchUpload", 404, uid))

    def test_entity_too_small(self):
        b = self.bucket()
        uid, done = self.upload(b, "small", [b"a" * 100, b"b" * 100])
        code, status, err, _ = self.error(self.s3.complete_multipart_upload, Bucket=b, Key="small", UploadId=uid,
                                          MultipartUpload={"Parts": done})
        self.assertEqual((code, status), ("EntityTooSmall", 400))
        self.assertEqual(err["Message"], "Your proposed upload is smaller than the minimum allowed object size.")
        self.assertEqual((err["ProposedSize"], err["MinSizeAllowed"], err["PartNumber"]), ("100", "5242880", "1"))
        # A single small part is fine (the last part may be small).
        r = self.s3.complete_multipart_upload(Bucket=b, Key="small", UploadId=uid, MultipartUpload={"Parts": done[1:]})
        self.assertEqual(r["ETag"], mpu_etag([b"b" * 100]))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="small")["Body"].read(), b"b" * 100)

    def test_invalid_part_and_order(self):
        b = self.bucket()
        uid, done = self.upload(b, "bad", [os.urandom(5 * MIB), b"x"])
        code, status, err, _ = self.error(self.s3.complete_multipart_upload, Bucket=b, Key="bad", UploadId=uid,
                                          MultipartUpload={"Parts": [done[1], done[0]]})
        self.assertEqual((code, status), ("InvalidPartOrder", 400))
        self.assertEqual(err["Message"], "The list of parts was not in ascending order. Parts must be ordered by part number.")
        wrong = [done[0], {"PartNumber": 2, "ETag": '"00000000000000000000000000000000"'}]
        code, status, err, _ = self.error(self.s3.complete_multipart_upload, Bucket=b, Key="bad", UploadId=uid,
                                          MultipartUpload={"Parts": wrong})
        self.assertEqual((code, status, err["PartNumber"]), ("InvalidPart", 400, "2"))
        missing = [done[0], {"PartNumber": 7, "ETag": done[1]["ETag"]}]
        code, status, _, _ = self.error(self.s3.complete_multipart_upload, Bucket=b, Key="bad", UploadId=uid,
                                        MultipartUpload={"Parts": missing})
        self.assertEqual((code, status), ("InvalidPart", 400))
        code, status, _, _ = self.error(self.s3.upload_part, Bucket=b, Key="bad", UploadId=uid, PartNumber=10001,
                                        Body=b"x")
        self.assertEqual((code, status), ("InvalidArgument", 400))
        code, status, _, _ = self.error(self.s3.upload_part, Bucket=b, Key="bad", UploadId="nope", PartNumber=1,
                                        Body=b"x")
        self.assertEqual((code, status), ("NoSuchUpload", 404))
        self.error(self.s3.head_object, Bucket=b, Key="bad")

    def test_list_parts_uploads_and_abort(self):
        b = self.bucket()
        uid, done = self.upload(b, "lp/x", [b"1" * 10, b"2" * 20, b"3" * 30])
        uid2 = self.s3.create_multipart_upload(Bucket=b, Key="lp/y")["UploadId"]
        self.s3.create_multipart_upload(Bucket=b, Key="other/z")
        r = self.s3.list_parts(Bucket=b, Key="lp/x", UploadId=uid, MaxParts=2)
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in r["Parts"]], [(1, 10), (2, 20)])
        self.assertTrue(r["IsTruncated"])
        self.assertEqual(r["NextPartNumberMarker"], 2)
        r = self.s3.list_parts(Bucket=b, Key="lp/x", UploadId=uid, PartNumberMarker=2)
        self.assertEqual([p["PartNumber"] for p in r["Parts"]], [3])
        self.assertEqual(r["Parts"][0]["ETag"], done[2]["ETag"])
        u = self.s3.list_multipart_uploads(Bucket=b, Prefix="lp/")
        self.assertEqual([(x["Key"], x["UploadId"]) for x in u["Uploads"]], [("lp/x", uid), ("lp/y", uid2)])
        u = self.s3.list_multipart_uploads(Bucket=b, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in u["CommonPrefixes"]], ["lp/", "other/"])
        self.assertEqual(self.s3.abort_multipart_upload(Bucket=b, Key="lp/x", UploadId=uid)["ResponseMetadata"]["HTTPStatusCode"], 204)
        code, status, _, _ = self.error(self.s3.abort_multipart_upload, Bucket=b, Key="lp/x", UploadId=uid)
        self.assertEqual((code, status), ("NoSuchUpload", 404))
        self.assertEqual([x["Key"] for x in self.s3.list_multipart_uploads(Bucket=b)["Uploads"]], ["lp/y", "other/z"])

    def test_upload_part_copy_with_range(self):
        b = self.bucket()
        src = os.urandom(6 * MIB)
        self.s3.put_object(Bucket=b, Key="src", Body=src)
        uid = self.s3.create_multipart_upload(Bucket=b, Key="assembled")["UploadId"]
        p1 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=1,
                                      CopySource={"Bucket": b, "Key": "src"}, CopySourceRange="bytes=0-5242879")
        p2 = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=2,
                                      CopySource={"Bucket": b, "Key": "src"}, CopySourceRange="bytes=5242880-6291455")
        self.assertEqual(p1["CopyPartResult"]["ETag"], '"%s"' % md5_hex(src[:5 * MIB]))
        code, status, _, _ = self.error(self.s3.upload_part_copy, Bucket=b, Key="assembled", UploadId=uid,
                                        PartNumber=3, CopySource={"Bucket": b, "Key": "src"},
                                        CopySourceRange="bytes=0-99999999")
        self.assertEqual((code, status), ("InvalidArgument", 400))
        r = self.s3.complete_multipart_upload(
            Bucket=b, Key="assembled", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]},
                                       {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
        self.assertEqual(r["ETag"], mpu_etag([src[:5 * MIB], src[5 * MIB:]]))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="assembled")["Body"].read(), src)

    def test_composite_checksum(self):
        if not has_param(self.s3, "CreateMultipartUpload", "ChecksumType"):
            self.skipTest("this botocore predates full-object checksums")
        b = self.bucket()
        parts = [os.urandom(5 * MIB), b"end"]
        up = self.s3.create_multipart_upload(Bucket=b, Key="cs", ChecksumAlgorithm="SHA256")
        self.assertEqual((up["ChecksumAlgorithm"], up["ChecksumType"]), ("SHA256", "COMPOSITE"))
        done = []
        for i, p in enumerate(parts, 1):
            r = self.s3.upload_part(Bucket=b, Key="cs", UploadId=up["UploadId"], PartNumber=i, Body=p,
                                    ChecksumAlgorithm="SHA256")
            self.assertEqual(r["ChecksumSHA256"], base64.b64encode(hashlib.sha256(p).digest()).decode())
            done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]})
        r = self.s3.complete_multipart_upload(Bucket=b, Key="cs", UploadId=up["UploadId"],
                                              MultipartUpload={"Parts": done})
        want = base64.b64encode(hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).digest()).decode() + "-2"
        self.assertEqual(r["ChecksumSHA256"], want)
        self.assertEqual(r["ChecksumType"], "COMPOSITE")
        h = self.s3.head_object(Bucket=b, Key="cs", ChecksumMode="ENABLED")
        self.assertEqual((h["ChecksumSHA256"], h["ChecksumType"]), (want, "COMPOSITE"))

    def test_full_object_crc32(self):
        if not has_param(self.s3, "CreateMultipartUpload", "ChecksumType"):
            self.skipTest("this botocore predates full-object checksums")
        b = self.bucket()
        parts = [os.urandom(5 * MIB), b"crc tail"]
        up = self.s3.create_multipart_upload(Bucket=b, Key="full", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
        done = []
        for i, p in enumerate(parts, 1):
            r = self.s3.upload_part(Bucket=b, Key="full", UploadId=up["UploadId"], PartNumber=i, Body=p,
                                    ChecksumAlgorithm="CRC32")
            done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        r = self.s3.complete_multipart_upload(Bucket=b, Key="full", UploadId=up["UploadId"],
                                              MultipartUpload={"Parts": done})
        self.assertEqual(r["ChecksumCRC32"], base64.b64encode(zlib.crc32(b"".join(parts)).to_bytes(4, "big")).decode())
        self.assertEqual(r["ChecksumType"], "FULL_OBJECT")
        # boto3 validates full-object checksums on download.
        g = self.s3.get_object(Bucket=b, Key="full", ChecksumMode="ENABLED")
        self.assertEqual(g["Body"].read(), b"".join(parts))

    def test_upload_fileobj_transfer_manager(self):
        import io
        from boto3.s3.transfer import TransferConfig
        b = self.bucket()
        data = os.urandom(12 * MIB + 5)
        cfg = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=2)
        self.s3.upload_fileobj(io.BytesIO(data), b, "tm/obj", Config=cfg)
        self.assertTrue(self.s3.head_object(Bucket=b, Key="tm/obj")["ETag"].endswith('-3"'))
        out = io.BytesIO()
        self.s3.download_fileobj(b, "tm/obj", out, Config=cfg)
        self.assertEqual(out.getvalue(), data)
