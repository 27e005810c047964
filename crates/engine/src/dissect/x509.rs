//! X.509 certificates inside a TLS Certificate message, read with the `x509-parser`
//! crate: version, serial number, algorithms, the issuer's and subject's names
//! (attribute by attribute, as tshark's x509sat layers), validity and extensions.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use std::borrow::Cow;
use x509_parser::prelude::*;

/// Wireshark's names of the attribute types a course's certificates use.
const ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("2.5.4.3", "id-at-commonName", "uTF8String"),
    ("2.5.4.6", "id-at-countryName", "CountryName"),
    ("2.5.4.7", "id-at-localityName", "uTF8String"),
    ("2.5.4.8", "id-at-stateOrProvinceName", "uTF8String"),
    ("2.5.4.10", "id-at-organizationName", "uTF8String"),
    ("2.5.4.11", "id-at-organizationalUnitName", "uTF8String"),
    ("2.5.4.5", "id-at-serialNumber", "printableString"),
    (
        "1.2.840.113549.1.9.1",
        "pkcs-9-at-emailAddress",
        "IA5String",
    ),
];

/// Wireshark's names of common algorithm and extension identifiers.
const OIDS: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.1", "rsaEncryption"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.10045.2.1", "ecPublicKey"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.3.101.112", "id-Ed25519"),
    ("2.5.29.14", "id-ce-subjectKeyIdentifier"),
    ("2.5.29.15", "id-ce-keyUsage"),
    ("2.5.29.17", "id-ce-subjectAltName"),
    ("2.5.29.19", "id-ce-basicConstraints"),
    ("2.5.29.31", "id-ce-cRLDistributionPoints"),
    ("2.5.29.32", "id-ce-certificatePolicies"),
    ("2.5.29.35", "id-ce-authorityKeyIdentifier"),
    ("2.5.29.37", "id-ce-extKeyUsage"),
    ("1.3.6.1.5.5.7.1.1", "id-pe-authorityInfoAccess"),
];

/// X.520's DirectoryString choice, numbered as tshark shows it, for the two string
/// types certificates use.
#[rustfmt::skip]
const DIRECTORY_STRINGS: &[(u64, &str)] = &[(1, "printableString"), (4, "uTF8String")];

crate::define_fields! { after super::smtp::END;
    VERSION = "x509af.version", "version", dec_named(32, VERSIONS);
    SERIAL_NUMBER = "x509af.serialNumber", "serialNumber", BYTES;
    ALGORITHM_ID = "x509af.algorithm.id", "Algorithm Id", STR;
    ATTRIBUTE_ID = "x509if.id", "Id", STR;
    COUNTRY_NAME = "x509sat.CountryName", "CountryName", STR;
    DIRECTORY_STRING = "x509sat.DirectoryString", "DirectoryString", dec_named(32, DIRECTORY_STRINGS);
    UTF8_STRING = "x509sat.uTF8String", "uTF8String", STR;
    PRINTABLE_STRING = "x509sat.printableString", "printableString", STR;
    IA5_STRING = "x509sat.IA5String", "IA5String", STR;
    UTC_TIME = "x509af.utcTime", "utcTime", STR;
    EXTENSION_ID = "x509af.extension.id", "Extension Id", STR;
    CRITICAL = "x509af.critical", "critical", flag(0, 0);
}

#[rustfmt::skip]
const VERSIONS: &[(u64, &str)] = &[(0, "v1"), (1, "v2"), (2, "v3")];

fn oid_name(oid: &str) -> Option<&'static str> {
    OIDS.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n)
}

/// Where `part` (a slice of `whole`) starts in it.
fn offset_in(whole: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .filter(|o| o.saturating_add(part.len()) <= whole.len())
        .unwrap_or(0)
}

/// tshark's one-line text of a name: attributes last to first, `id-at-x=value`.
pub fn name_text(name: &X509Name<'_>) -> String {
    let mut parts: Vec<String> = name
        .iter_attributes()
        .map(|a| {
            let oid = a.attr_type().to_id_string();
            let label = ATTRIBUTES
                .iter()
                .find(|(o, _, _)| *o == oid)
                .map_or(oid.clone(), |(_, n, _)| (*n).to_string());
            format!("{label}={}", a.as_str().unwrap_or(""))
        })
        .collect();
    parts.reverse();
    parts.join(",")
}

/// The subject's text of a DER certificate (for the `Certificate:` label).
pub fn subject_text(der: &[u8]) -> Option<String> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some(name_text(cert.subject()))
}

/// Dissects one DER certificate lying at `at`.
pub fn dissect(d: &mut Dissection<'_>, der: &[u8], at: usize) {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return;
    };
    let tbs = &cert.tbs_certificate;
    let signed = d.text(at, der.len(), || "signedCertificate".into());
    d.begin(signed);
    d.add(VERSION, at, 0, Value::UInt(u64::from(tbs.version().0)));
    let serial = tbs.raw_serial();
    d.add_labeled(
        SERIAL_NUMBER,
        at + offset_in(der, serial),
        serial.len(),
        Value::Bytes(Cow::Owned(serial.to_vec())),
        || format!("serialNumber: 0x{}", super::value::hex_text(serial, None)),
    );
    algorithm(d, "signature", &tbs.signature.algorithm.to_id_string(), at);
    name_tree(d, "issuer", tbs.issuer(), der, at);
    let validity = d.text(at, 0, || "validity".into());
    d.begin(validity);
    for (label, time) in [
        ("notBefore", tbs.validity().not_before),
        ("notAfter", tbs.validity().not_after),
    ] {
        let t = time.to_datetime();
        let text = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} (UTC)",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let item = d.text(at, 0, || format!("{label}: utcTime (0)"));
        d.begin(item);
        d.add(UTC_TIME, at, 0, Value::Str(Cow::Owned(text.into_bytes())));
        d.end();
    }
    d.end();
    name_tree(d, "subject", tbs.subject(), der, at);
    let spki = d.text(at, 0, || "subjectPublicKeyInfo".into());
    d.begin(spki);
    algorithm(
        d,
        "algorithm",
        &tbs.subject_pki.algorithm.algorithm.to_id_string(),
        at,
    );
    d.end();
    let extensions = tbs.extensions();
    if !extensions.is_empty() {
        let n = extensions.len();
        let list = d.text(at, 0, || format!("extensions: {n} items"));
        d.begin(list);
        for ext in extensions {
            let oid = ext.oid.to_id_string();
            let name = oid_name(&oid).unwrap_or("");
            if oid.starts_with("2.5.29.") {
                d.push_layer("x509ce");
            }
            let item = d.text(at, 0, || format!("Extension ({name})"));
            d.begin(item);
            let oid_label = format!("Extension Id: {oid} ({name})");
            d.add_labeled(
                EXTENSION_ID,
                at,
                0,
                Value::Str(Cow::Owned(oid.into_bytes())),
                || oid_label,
            );
            if ext.critical {
                d.add(CRITICAL, at, 0, Value::Bool(true));
            }
            d.end();
        }
        d.end();
    }
    d.end();
    algorithm(
        d,
        "algorithmIdentifier",
        &cert.signature_algorithm.algorithm.to_id_string(),
        at,
    );
}

fn algorithm(d: &mut Dissection<'_>, label: &str, oid: &str, at: usize) {
    let name = oid_name(oid).unwrap_or("");
    let item = d.text(at, 0, || format!("{label} ({name})"));
    d.begin(item);
    let text = format!("Algorithm Id: {oid} ({name})");
    d.add_labeled(
        ALGORITHM_ID,
        at,
        0,
        Value::Str(Cow::Owned(oid.as_bytes().to_vec())),
        || text,
    );
    d.end();
}

fn name_tree(d: &mut Dissection<'_>, label: &str, name: &X509Name<'_>, der: &[u8], at: usize) {
    let raw = name.as_raw();
    let name_at = at + offset_in(der, raw);
    let item = d.text(name_at, raw.len(), || format!("{label}: rdnSequence (0)"));
    d.begin(item);
    let n = name.iter_rdn().count();
    let summary = name_text(name);
    let seq = d.text(name_at, raw.len(), || {
        format!("rdnSequence: {n} items ({summary})")
    });
    d.begin(seq);
    for rdn in name.iter_rdn() {
        for attr in rdn.iter() {
            d.push_layer("x509sat");
            let oid = attr.attr_type().to_id_string();
            let (attr_name, kind) = ATTRIBUTES
                .iter()
                .find(|(o, _, _)| *o == oid)
                .map_or(("", "uTF8String"), |(_, n, k)| (*n, *k));
            let value = attr.as_str().unwrap_or("");
            let data = attr.attr_value().data;
            let value_at = at + offset_in(der, data);
            let one = format!("{attr_name}={value}");
            let rdn_item = d.text(value_at, data.len(), || {
                format!("RDNSequence item: 1 item ({one})")
            });
            d.begin(rdn_item);
            let attr_item = d.text(value_at, data.len(), || {
                format!("RelativeDistinguishedName item ({one})")
            });
            d.begin(attr_item);
            let id_label = format!("Object Id: {oid} ({attr_name})");
            d.add_labeled(
                ATTRIBUTE_ID,
                value_at,
                0,
                Value::Str(Cow::Owned(oid.clone().into_bytes())),
                || id_label,
            );
            // A DirectoryString attribute (the names' default kind) shows the
            // choice its value's tag makes (UTF8String 12, PrintableString 19).
            let choice = match attr.attr_value().tag().0 {
                12 if kind == "uTF8String" => Some((4, UTF8_STRING)),
                19 if kind == "uTF8String" => Some((1, PRINTABLE_STRING)),
                _ => None,
            };
            let field = match (choice, kind) {
                (Some((_, field)), _) => field,
                (None, "CountryName") => COUNTRY_NAME,
                (None, "printableString") => PRINTABLE_STRING,
                (None, "IA5String") => IA5_STRING,
                _ => UTF8_STRING,
            };
            if let Some((number, _)) = choice {
                let item = d.add(DIRECTORY_STRING, value_at, data.len(), Value::UInt(number));
                d.begin(item);
            }
            d.add(
                field,
                value_at,
                data.len(),
                Value::Str(Cow::Owned(value.as_bytes().to_vec())),
            );
            if choice.is_some() {
                d.end();
            }
            d.end();
            d.end();
        }
    }
    d.end();
    d.end();
}
