//! `keikaku import` refuses a spreadsheet that would take more memory than any real KPI sheet
//! before reading it: a tiny workbook with one cell at XFD1048576 (17 billion cells as a grid),
//! one whose `dimension` hides such a cell, a zip bomb (half a gigabyte in one cell, in a 2 MB
//! file, with honest and with lying sizes), a CSV of a million rows. Each import runs under
//! `prlimit --as` (256 MiB of address space, where a normal import needs far less) and a
//! timeout, and must end with exit code 1 and the limit's error code, never an abort.
//! A report with more errors than a person can read shows the first ones and counts the rest,
//! while `--format json` holds all of them.

#![cfg(target_os = "linux")]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MEMORY_LIMIT: u64 = 256 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(60);

struct Outcome {
    /// `None` when killed by a signal (an allocation failure aborts).
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `keikaku import FILE --root ROOT --format json` under the memory limit and the timeout.
fn import_limited(root: &Path, file: &Path) -> Outcome {
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_keikaku"))
        .arg("import")
        .arg(file)
        .arg("--root")
        .arg(root)
        .args(["--format", "json"])
        .env("LANG", "ja_JP.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs keikaku");
    // Read while it runs: a report larger than the pipe would otherwise block it.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("import of {} did not finish in {TIMEOUT:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        status: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// The codes (`E0902 sheet_too_many_rows`) of a JSON report.
fn codes(json: &str) -> Vec<String> {
    let Ok(report) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    report
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| format!("{} {}", d["code"]["id"], d["code"]["key"]).replace('"', ""))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_refused(root: &Path, file: &Path, code: &str) {
    let before = common::read_tree(root);
    let out = import_limited(root, file);
    assert_eq!(
        out.status,
        Some(1),
        "{}: exit status (None: killed, e.g. by a failed allocation)\nstderr: {}",
        file.display(),
        out.stderr
    );
    assert_eq!(
        codes(&out.stdout),
        [code],
        "{}: {}",
        file.display(),
        out.stdout
    );
    assert_eq!(common::read_tree(root), before);
}

#[test]
fn a_sparse_workbook_is_refused_before_it_is_read() {
    let (tmp, root) = common::site();
    let path = tmp.path().join("sparse.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "施策ID").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 10_000);
    assert_refused(&root, &path, "E0902 sheet_too_many_rows");

    // The same cell behind a `dimension` that claims two cells: found as it is read.
    let lying = tmp.path().join("lying.xlsx");
    std::fs::write(
        &lying,
        workbook(&Part::Stored(
            format!("{WORKSHEET}<dimension ref=\"A1:B2\"/><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>施策ID</t></is></c></row><row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>")
                .into_bytes(),
        )),
    )
    .unwrap();
    assert_refused(&root, &lying, "E0902 sheet_too_many_rows");
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_unpacks_to() {
    let (tmp, root) = common::site();
    // The hand-made workbook is one the import reads, when it is small.
    let small = tmp.path().join("small.xlsx");
    std::fs::write(
        &small,
        workbook(&Part::Bomb {
            cell_bytes: 1000,
            declared: None,
        }),
    )
    .unwrap();
    let out = import_limited(&root, &small);
    assert!(
        !out.stdout.contains("E0001") && !out.stdout.contains("E0901"),
        "the small workbook must open: {}",
        out.stdout
    );

    let half_gigabyte = 512 * 1024 * 1024;
    for declared in [None, Some(1000)] {
        let bomb = tmp.path().join("bomb.xlsx");
        std::fs::write(
            &bomb,
            workbook(&Part::Bomb {
                cell_bytes: half_gigabyte,
                declared,
            }),
        )
        .unwrap();
        assert!(std::fs::metadata(&bomb).unwrap().len() < 4 * 1024 * 1024);
        assert_refused(&root, &bomb, "E0901 sheet_too_large");
    }
}

#[test]
fn a_million_rows_are_refused_and_a_long_report_is_cut_for_people_only() {
    let (tmp, root) = common::site();
    let csv = tmp.path().join("million.csv");
    let mut text = String::from("施策ID,成果目標,区分,令和6年度\n");
    for _ in 0..1_000_000 {
        text.push_str("01-01,1,実績,1件\n");
    }
    std::fs::write(&csv, text).unwrap();
    assert_refused(&root, &csv, "E0902 sheet_too_many_rows");

    // 3,000 rows with a bad measure ID each: within the limits, 3,000 errors.
    let csv = tmp.path().join("bad.csv");
    let mut text = String::from("施策ID,成果目標,区分,令和6年度\n");
    for _ in 0..3000 {
        text.push_str("../x,1,実績,1件\n");
    }
    std::fs::write(&csv, text).unwrap();
    let out = import_limited(&root, &csv);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert_eq!(codes(&out.stdout).len(), 3000);
    let human = common::run(&[
        "import",
        csv.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    let stderr = common::text(&human.stderr);
    assert!(
        stderr.contains("ほか2,800件"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    assert!(stderr.contains("エラー 3000件"));
    assert!(stderr.matches("E0202").count() <= 200);
}

const WORKSHEET: &str =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";

/// The worksheet of a hand-made workbook.
enum Part {
    /// Stored as given.
    Stored(Vec<u8>),
    /// One cell of `cell_bytes` × `a`, deflated; the zip headers declare the true unpacked
    /// size, or `declared`.
    Bomb {
        cell_bytes: usize,
        declared: Option<u32>,
    },
}

/// A minimal .xlsx: content types, relationships, a workbook of one sheet "KPI" and `sheet`.
fn workbook(sheet: &Part) -> Vec<u8> {
    let stored = |name: &str, text: &str| Entry::stored(name, text.as_bytes().to_vec());
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut entries = vec![
        stored(
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>",
        ),
        stored(
            "_rels/.rels",
            &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rels}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        stored(
            "xl/workbook.xml",
            &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{rels}\"><sheets><sheet name=\"KPI\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rels}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
    ];
    let name = "xl/worksheets/sheet1.xml";
    entries.push(match sheet {
        Part::Stored(bytes) => Entry::stored(name, bytes.clone()),
        Part::Bomb {
            cell_bytes,
            declared,
        } => {
            let prefix = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{WORKSHEET}<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
            let suffix = "</t></is></c></row></sheetData></worksheet>";
            let size = prefix.len() + cell_bytes + suffix.len();
            let crc = crc32_concat(&[
                crc32(prefix.as_bytes()),
                crc32_of_repeated(b'a', *cell_bytes as u64),
                crc32(suffix.as_bytes()),
            ], &[*cell_bytes as u64, suffix.len() as u64]);
            Entry {
                name: name.to_string(),
                method: 8,
                data: deflate_repeated(prefix.as_bytes(), b'a', *cell_bytes, suffix.as_bytes()),
                crc,
                size: declared.unwrap_or(size as u32),
            }
        }
    });
    zip(&entries)
}

struct Entry {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    data: Vec<u8>,
    crc: u32,
    /// Unpacked size as the headers declare it.
    size: u32,
}

impl Entry {
    fn stored(name: &str, data: Vec<u8>) -> Entry {
        Entry {
            name: name.to_string(),
            method: 0,
            crc: crc32(&data),
            size: data.len() as u32,
            data,
        }
    }
}

/// A zip archive: local headers and data, the central directory, its end record.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0x0800); // flags: UTF-8 names
        u16le(&mut out, e.method);
        u16le(&mut out, 0); // time
        u16le(&mut out, 0x21); // date: 1980-01-01
        u32le(&mut out, e.crc);
        u32le(&mut out, e.data.len() as u32);
        u32le(&mut out, e.size);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0); // extra
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);

        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // made by
        u16le(&mut central, 20); // needed
        u16le(&mut central, 0x0800);
        u16le(&mut central, e.method);
        u16le(&mut central, 0);
        u16le(&mut central, 0x21);
        u32le(&mut central, e.crc);
        u32le(&mut central, e.data.len() as u32);
        u32le(&mut central, e.size);
        u16le(&mut central, e.name.len() as u16);
        u16le(&mut central, 0); // extra
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    out
}

/// A raw deflate stream (one block, fixed Huffman codes) of `prefix`, `count` × `byte` and
/// `suffix`: the repeated byte is one literal and then copies of 258 bytes at distance 1,
/// 13 bits each — about 160 times smaller than what it unpacks to.
fn deflate_repeated(prefix: &[u8], byte: u8, count: usize, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, len: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            self.put(code.reverse_bits() >> (32 - len), len);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
    }
    let mut bits = Bits {
        out: Vec::with_capacity(count / 150 + 1024),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        bits.literal(b);
    }
    if count > 0 {
        bits.literal(byte);
        let mut left = count - 1;
        while left >= 258 {
            bits.code(0xC5, 8); // length 258 (symbol 285)
            bits.code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            bits.literal(byte);
        }
    }
    for &b in suffix {
        bits.literal(b);
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7); // flush
    bits.out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// zlib's crc32_combine: the CRC of A followed by B from the CRCs of both and B's length.
fn crc32_combine(mut crc1: u32, crc2: u32, mut len2: u64) -> u32 {
    fn times(mat: &[u32; 32], mut vec: u32) -> u32 {
        let mut sum = 0;
        let mut i = 0;
        while vec != 0 {
            if vec & 1 != 0 {
                sum ^= mat[i];
            }
            vec >>= 1;
            i += 1;
        }
        sum
    }
    fn square(mat: &[u32; 32]) -> [u32; 32] {
        let mut sq = [0u32; 32];
        for (n, s) in sq.iter_mut().enumerate() {
            *s = times(mat, mat[n]);
        }
        sq
    }
    if len2 == 0 {
        return crc1;
    }
    let mut odd = [0u32; 32];
    odd[0] = 0xEDB8_8320;
    for (n, o) in odd.iter_mut().enumerate().skip(1) {
        *o = 1 << (n - 1);
    }
    let mut even = square(&odd);
    odd = square(&even);
    loop {
        even = square(&odd);
        if len2 & 1 != 0 {
            crc1 = times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
        odd = square(&even);
        if len2 & 1 != 0 {
            crc1 = times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }
    crc1 ^ crc2
}

/// The CRC of `count` × `byte`, by doubling.
fn crc32_of_repeated(byte: u8, count: u64) -> u32 {
    let (mut result, mut result_len) = (0u32, 0u64); // the CRC of nothing is 0
    let (mut power, mut power_len) = (crc32(&[byte]), 1u64);
    let mut n = count;
    while n > 0 {
        if n & 1 != 0 {
            result = if result_len == 0 {
                power
            } else {
                crc32_combine(result, power, power_len)
            };
            result_len += power_len;
        }
        power = crc32_combine(power, power, power_len);
        power_len *= 2;
        n >>= 1;
    }
    result
}

/// The CRC of parts whose CRCs are `crcs`; `lens` are the lengths of all parts but the first.
fn crc32_concat(crcs: &[u32], lens: &[u64]) -> u32 {
    let mut crc = crcs[0];
    for (c, len) in crcs[1..].iter().zip(lens) {
        crc = crc32_combine(crc, *c, *len);
    }
    crc
}

#[test]
fn the_hand_made_deflate_and_crc_are_right() {
    let data: Vec<u8> = b"<t>"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b'a', 1000))
        .chain(*b"</t>")
        .collect();
    assert_eq!(
        crc32_concat(
            &[crc32(b"<t>"), crc32_of_repeated(b'a', 1000), crc32(b"</t>")],
            &[1000, 4]
        ),
        crc32(&data)
    );
    // The deflate stream is checked by the import reading the small workbook made with it.
}
