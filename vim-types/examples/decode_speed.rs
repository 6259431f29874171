//! Decode speed of the generated codec: a synthetic `RetrievePropertiesEx` response of about
//! 32 MiB (objects whose properties are `ServiceContent`, arrays of `UserSession`, strings and
//! numbers, all behind `anyType`, as the PropertyCollector sends them), encoded with the
//! generated encoder, then decoded with the generated decoder, against a bare quick-xml
//! event scan of the same bytes (the floor). Prints medians; asserts nothing.
//!
//! ```sh
//! cargo run --release -p vim-types --example decode_speed [-- MIB]
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use vim_types::soap::{DecodeOptions, decode_response};
use vim_types::{
    AboutInfo, AnyData, AnyValue, DateTime, DynamicProperty, ManagedObjectReference, MoRef, ObjectContent, RetrieveResult, ServiceContent,
    UserSession, methods,
};

/// Counts live heap bytes, to report the decoder's peak memory against the payload size.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn session(i: usize, j: usize) -> UserSession {
    UserSession {
        key: format!("52{i:06}-{j:04}-e0d2-3f4a-9b1c-77aa55cc{j:04}"),
        user_name: format!("VSPHERE.LOCAL\\user{j}"),
        full_name: format!("User Number {j} of object {i}"),
        login_time: DateTime("2026-11-28T04:07:52.123Z".into()),
        last_active_time: DateTime("2026-11-29T01:02:03.456Z".into()),
        locale: "en".into(),
        message_locale: "en_US".into(),
        extension_session: j % 3 == 0,
        ip_address: format!("10.{}.{}.{}", i % 250, j % 250, (i + j) % 250),
        user_agent: "pyvmomi Python/3.11.2 (Linux; 6.1.0; x86_64) & <friends>".into(),
        call_count: (i * 1000 + j) as i64,
        ..Default::default()
    }
}

fn content(i: usize) -> ServiceContent {
    ServiceContent {
        root_folder: MoRef::new(format!("group-d{i}")),
        property_collector: MoRef::new("propertyCollector"),
        view_manager: Some(MoRef::new("ViewManager")),
        about: AboutInfo {
            name: "VMware vCenter Server".into(),
            full_name: "VMware vCenter Server 5.5.0 build-1312298".into(),
            vendor: "VMware, Inc.".into(),
            version: "5.5.0".into(),
            build: "1312298".into(),
            os_type: "linux-x64".into(),
            product_line_id: "vpx".into(),
            api_type: "VirtualCenter".into(),
            api_version: "5.5".into(),
            ..Default::default()
        },
        session_manager: Some(MoRef::new("SessionManager")),
        authorization_manager: Some(MoRef::new("AuthorizationManager")),
        ..Default::default()
    }
}

fn object(i: usize) -> ObjectContent {
    let sessions = (0..20).map(|j| AnyValue::Data(AnyData::UserSession(Box::new(session(i, j))))).collect();
    ObjectContent {
        obj: ManagedObjectReference { type_name: "SessionManager".into(), value: format!("session-manager-{i}") },
        prop_set: vec![
            DynamicProperty { name: "name".into(), val: AnyValue::String(format!("object {i}")) },
            DynamicProperty { name: "count".into(), val: AnyValue::Int(i as i32) },
            DynamicProperty { name: "content".into(), val: AnyValue::Data(AnyData::ServiceContent(Box::new(content(i)))) },
            DynamicProperty { name: "sessionList".into(), val: AnyValue::Array { item_type: "UserSession".into(), items: sessions } },
        ],
        ..Default::default()
    }
}

const ENVELOPE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
    r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    r#"<soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25">"#
);
const ENVELOPE_CLOSE: &str = "</RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn scan(body: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(body);
    let mut n = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(32);
    // One object encodes to about 12 KiB.
    let result = RetrieveResult { objects: (0..mib * 1024 / 12).map(object).collect(), ..Default::default() };
    let mut w = vim_types::xml::Writer::new();
    w.buf.extend_from_slice(ENVELOPE_OPEN.as_bytes());
    w.field("returnval", &result);
    w.buf.extend_from_slice(ENVELOPE_CLOSE.as_bytes());
    let body = w.buf;
    let mb = body.len() as f64 / 1e6;
    println!("payload: {:.1} MB, {} objects", mb, result.objects.len());

    let runs = 7;
    let mut t_scan = Vec::new();
    let mut events = 0;
    for _ in 0..runs {
        let t = Instant::now();
        events = std::hint::black_box(scan(&body));
        t_scan.push(t.elapsed());
    }
    let opts = DecodeOptions::default();
    let mut t_dec = Vec::new();
    let mut same = false;
    let mut peak_over = 0;
    for _ in 0..runs {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let decoded = decode_response::<methods::RetrievePropertiesEx>(&body, &opts);
        t_dec.push(t.elapsed());
        peak_over = PEAK.load(Ordering::Relaxed) - base;
        same = matches!(&decoded, Ok(Some(r)) if *r == result);
        drop(decoded);
    }
    let (s, d) = (median(t_scan), median(t_dec));
    let rate = |t: Duration| mb / t.as_secs_f64();
    println!("quick-xml event scan: {:>8.1} ms  {:>7.1} MB/s  ({events} events)", s.as_secs_f64() * 1e3, rate(s));
    println!(
        "generated decoder:    {:>8.1} ms  {:>7.1} MB/s  ({:.2}x the scan's time)",
        d.as_secs_f64() * 1e3,
        rate(d),
        d.as_secs_f64() / s.as_secs_f64()
    );
    println!("decoder peak heap:    {:>8.1} MB  ({:.2}x the payload)", peak_over as f64 / 1e6, peak_over as f64 / body.len() as f64);
    println!("decoded value equals the encoded one: {same}");
}
