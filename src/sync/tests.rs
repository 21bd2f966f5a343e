use super::*;
use crate::codec::tests::sample_record;
use chrono::TimeZone;
use ed25519_dalek::Signer;

/// An error as `--lang en` shows it.
fn en(e: &Error) -> String {
    crate::i18n::I18n::new(crate::i18n::Lang::En).error(e)
}

fn header() -> Header {
    Header {
        format: String::new(),
        version: 0,
        checkpoint: "T01".into(),
        checkpoint_name: "北站".into(),
        laptop: "L1".into(),
        public_key: String::new(),
        to: "post".into(),
        since: "last".into(),
        created_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap(),
        journal_from: 0,
        journal_to: 100,
        first: None,
        last: None,
        counts: BTreeMap::new(),
        entries: 0,
        compression: String::new(),
        body_bytes: 0,
        body_sha256: String::new(),
    }
}

fn entries(n: usize) -> Vec<BundleEntry> {
    (0..n)
        .map(|i| {
            let mut r = sample_record();
            r.id = format!("T01-{i:026}");
            let e = Entry::Record(r);
            BundleEntry::new(entry_id(&e).unwrap(), e)
        })
        .collect()
}

fn written(n: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>, [u8; 32]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.kdb");
    let secret = [7u8; 32];
    write(&path, header(), &entries(n), &secret).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (dir, path, bytes, secret)
}

#[test]
fn a_bundle_round_trips_with_its_header_filled_in() {
    let (_d, path, _, secret) = written(5);
    let b = read(&path).unwrap();
    assert_eq!(b.entries().unwrap(), entries(5));
    assert_eq!(b.header.entries, 5);
    assert_eq!(b.header.counts.get("record"), Some(&5));
    assert_eq!(b.header.version, VERSION);
    assert_eq!(b.public_key, public_of(&secret));
    assert_eq!(b.fingerprint, fingerprint(&public_of(&secret)));
    assert_eq!(b.fingerprint.len(), 39, "8 groups of 4 hex digits");
}

#[test]
fn every_single_byte_changed_anywhere_is_refused() {
    let (_d, path, bytes, _) = written(3);
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        let err = parse(&path, &bad).expect_err(&format!("byte {i} flipped was accepted"));
        assert!(matches!(err, Error::Bundle { .. }), "byte {i}: {err}");
    }
}

#[test]
fn truncated_at_every_tenth_and_by_one_byte_is_refused() {
    let (_d, path, bytes, _) = written(20);
    let mut cuts: Vec<usize> = (0..10).map(|k| bytes.len() * k / 10).collect();
    cuts.push(bytes.len() - 1);
    for cut in cuts {
        let err = parse(&path, &bytes[..cut]).expect_err(&format!("cut at {cut} accepted"));
        let msg = en(&err);
        assert!(
            msg.contains("truncated")
                || msg.contains("not a kadian bundle")
                || msg.contains("damaged"),
            "cut at {cut}: {msg}"
        );
    }
    // Appended garbage is damage too.
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"xx");
    assert!(parse(&path, &longer).is_err());
}

#[test]
fn an_unknown_version_is_named_in_the_refusal() {
    let (_d, path, mut bytes, _) = written(1);
    bytes[8] = 2;
    let msg =
        crate::i18n::I18n::new(crate::i18n::Lang::En).error(&parse(&path, &bytes).unwrap_err());
    assert!(msg.contains("unknown bundle version 2"), "{msg}");
    assert!(msg.contains("nothing imported"), "{msg}");
}

#[test]
fn a_bundle_re_signed_with_another_key_fails_against_the_header_key() {
    let (_d, path, bytes, _) = written(2);
    // Replace the signature with one made by a different key over the same checksum.
    let n = bytes.len();
    let checksum: [u8; 32] = bytes[n - 96..n - 64].try_into().unwrap();
    let other = SigningKey::from_bytes(&[9u8; 32]);
    let sig = other.sign(&[SIGNING_CONTEXT, &checksum].concat());
    let mut forged = bytes.clone();
    forged[n - 64..].copy_from_slice(&sig.to_bytes());
    let msg = en(&parse(&path, &forged).unwrap_err());
    assert!(msg.contains("signature"), "{msg}");
}

#[test]
fn garbage_and_empty_files_are_not_bundles() {
    let p = std::path::Path::new("x.kdb");
    assert!(en(&parse(p, b"").unwrap_err()).contains("truncated"));
    assert!(en(&parse(p, b"PK\x03\x04 a zip file").unwrap_err()).contains("not a kadian bundle"));
}

#[test]
fn key_files_round_trip_and_a_wrong_fingerprint_is_refused() {
    let k = KeyFile {
        laptop: "01ABC".into(),
        checkpoint: "T01".into(),
        name: "北站".into(),
        public_key: public_of(&[3u8; 32]),
    };
    let p = std::path::Path::new("k.key");
    assert_eq!(KeyFile::parse(p, &k.to_text()).unwrap(), k);
    let tampered = k.to_text().replace(&hex(&k.public_key)[..4], "0000");
    assert!(KeyFile::parse(p, &tampered).is_err());
    assert!(KeyFile::parse(p, "hello").is_err());
    assert!(same_fingerprint("AB12-cd34", "ab12 CD34"));
    assert!(!same_fingerprint("", ""));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary bytes, or a real bundle with random bytes overwritten, never panic and
        /// are never accepted when changed.
        #[test]
        fn parse_never_panics(garbage in proptest::collection::vec(any::<u8>(), 0..400),
                              at in any::<proptest::sample::Index>(),
                              patch in proptest::collection::vec(any::<u8>(), 1..16)) {
            let p = std::path::Path::new("f.kdb");
            let _ = parse(p, &garbage);
            let (_d, _path, bytes, _) = written(2);
            let start = at.index(bytes.len());
            let mut bad = bytes.clone();
            for (i, b) in patch.iter().enumerate() {
                if let Some(x) = bad.get_mut(start + i) { *x = *b; }
            }
            if bad != bytes {
                prop_assert!(parse(p, &bad).is_err());
            }
        }
    }
}

#[test]
fn an_entry_of_another_checkpoint_than_the_header_refuses_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.kdb");
    let mut es = entries(2);
    if let Entry::Record(r) = &mut es[1].entry {
        r.checkpoint = "T02".into();
    }
    let es: Vec<BundleEntry> = es
        .into_iter()
        .map(|e| BundleEntry::new(e.id, e.entry))
        .collect();
    write(&path, header(), &es, &[7u8; 32]).unwrap();
    let msg = en(&read(&path).unwrap_err());
    assert!(msg.contains("of checkpoint T02"), "{msg}");
    let mut h = header();
    h.checkpoint = "../x".into();
    write(&path, h, &entries(0), &[7u8; 32]).unwrap();
    assert!(en(&read(&path).unwrap_err()).contains("not a valid code"));
}

/// A bundle file from a header's JSON and a compressed body, checksummed and signed as
/// `Writer::finish` does: damage behind the signature is reached only so.
fn assemble(header_json: &[u8], body: &[u8], secret: &[u8; 32]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(header_json);
    out.extend_from_slice(body);
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    let checksum: [u8; 32] = Sha256::digest(&out).into();
    out.extend_from_slice(&checksum);
    let sig = SigningKey::from_bytes(secret).sign(&[SIGNING_CONTEXT, &checksum].concat());
    out.extend_from_slice(&sig.to_bytes());
    out
}

/// One body entry as the writer lays it out, with the given id, length and checksum.
fn raw_entry(id: &[u8], len: u32, sha: [u8; 32], bytes: &[u8]) -> Vec<u8> {
    let mut out = (id.len() as u16).to_le_bytes().to_vec();
    out.extend_from_slice(id);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&sha);
    out.extend_from_slice(bytes);
    out
}

/// Every reason a bundle or a key file is refused for by this module, each from real bytes
/// (the writer's limits, out of reach of a test, aside): for the language test of
/// `ops::sync`, which adds the reasons of trust and merge.
pub(crate) fn every_refusal() -> Vec<Error> {
    let (dir, path, bytes, secret) = written(2);
    let p = path.as_path();
    let h0 = read(p).unwrap().header;
    let header_len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let t = bytes.len() - TRAILER;
    let body = &bytes[PREAMBLE + header_len..t];
    let with_header = |edit: &dyn Fn(&mut Header)| {
        let mut h = h0.clone();
        edit(&mut h);
        assemble(&serde_json::to_vec(&h).unwrap(), body, &secret)
    };
    // A body of raw entries, the header's length and checksum matching it.
    let with_body = |raw: Vec<u8>| {
        let mut h = h0.clone();
        h.body_bytes = raw.len() as u64;
        h.body_sha256 = hex(&Sha256::digest(&raw));
        let z = zstd::encode_all(raw.as_slice(), 3).unwrap();
        assemble(&serde_json::to_vec(&h).unwrap(), &z, &secret)
    };
    let good = &entries(1)[0];
    let sha = |b: &[u8]| -> [u8; 32] { Sha256::digest(b).into() };
    let len = good.bytes.len() as u32;
    let mut t02 = sample_record();
    t02.id = format!("T01-{:026}", 0);
    t02.checkpoint = "T02".into();
    let t02 = BundleEntry::new(format!("record/{}", t02.id), Entry::Record(t02));
    let mut files: Vec<Vec<u8>> = vec![b"KAD".to_vec(), b"PK\x03\x04 a zip file".to_vec()];
    let mut edit = |at: usize, f: &dyn Fn(&mut [u8])| {
        let mut b = bytes.clone();
        f(&mut b[at..]);
        files.push(b);
    };
    edit(8, &|b| b[0] = 2);
    edit(10, &|b| b[..4].copy_from_slice(&u32::MAX.to_le_bytes()));
    edit(t, &|b| b[0] ^= 1);
    edit(t - 1, &|b| b[0] ^= 1);
    let other = SigningKey::from_bytes(&[9u8; 32]);
    let checksum: [u8; 32] = bytes[t + 8..t + 40].try_into().unwrap();
    let sig = other
        .sign(&[SIGNING_CONTEXT, &checksum].concat())
        .to_bytes();
    edit(t + 40, &|b| b.copy_from_slice(&sig));
    let bad_point = (0..=255u8)
        .map(|i| [i; 32])
        .find(|k| ed25519_dalek::VerifyingKey::from_bytes(k).is_err())
        .unwrap();
    files.extend([
        assemble(b"not json", body, &secret),
        with_header(&|h| h.format = "x".into()),
        with_header(&|h| h.public_key = "zz".into()),
        with_header(&|h| h.public_key = hex(&bad_point)),
        with_header(&|h| h.compression = "lz4".into()),
        with_header(&|h| h.body_bytes = MAX_BODY + 1),
        with_header(&|h| h.checkpoint = "../x".into()),
        with_header(&|h| h.body_sha256 = "00".into()),
        with_header(&|h| h.entries += 1),
        assemble(&serde_json::to_vec(&h0).unwrap(), b"not zstd", &secret),
        with_body(vec![1]),
        {
            let mut h = h0.clone();
            h.body_bytes = 1;
            assemble(&serde_json::to_vec(&h).unwrap(), body, &secret)
        },
        with_body(raw_entry(&[0xff, 0xfe], len, sha(&good.bytes), &good.bytes)),
        with_body(raw_entry(good.id.as_bytes(), u32::MAX, [0; 32], &[])),
        with_body(raw_entry(good.id.as_bytes(), len, [0; 32], &good.bytes)),
        with_body(raw_entry(
            good.id.as_bytes(),
            3,
            sha(b"\x01\xff\xff"),
            b"\x01\xff\xff",
        )),
        with_body(raw_entry(
            b"record/other",
            len,
            sha(&good.bytes),
            &good.bytes,
        )),
        with_body(raw_entry(
            t02.id.as_bytes(),
            t02.bytes.len() as u32,
            sha(&t02.bytes),
            &t02.bytes,
        )),
    ]);
    let mut out: Vec<Error> = files
        .iter()
        .map(|f| parse(p, f).expect_err("refused"))
        .collect();
    out.push(read(&dir.path().join("none.kdb")).unwrap_err());
    out.push(
        Writer::new()
            .unwrap()
            .add(&"x".repeat(70_000), "record", b"")
            .unwrap_err(),
    );
    let key = KeyFile {
        laptop: "L1".into(),
        checkpoint: "T01".into(),
        name: "N1".into(),
        public_key: public_of(&secret),
    }
    .to_text();
    let kp = std::path::Path::new("k1.key");
    for text in [
        "x".to_string(),
        key.replace("laptop L1", ""),
        key.replace("public ", "public zz"),
        key.replace(&hex(&public_of(&secret)), &hex(&bad_point)),
        key.replace("fingerprint ", "fingerprint 00"),
    ] {
        out.push(KeyFile::parse(kp, &text).unwrap_err());
    }
    out
}
