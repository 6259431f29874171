//! The generated codec on real-shaped SOAP: requests as servers expect them, responses as
//! vCenter and vcsim write them (prefixes vary), faults typed, unknown content kept or
//! counted, and encode -> decode giving equal values.

use vim_types::soap::{DecodeOptions, decode_response, decode_response_with_report, request_body};
use vim_types::xml::{Decode, Encode, Reader, Writer};
use vim_types::*;

fn envelope(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
    )
    .into_bytes()
}

#[test]
fn login_request() {
    let this = MoRef::<SessionManager>::new("SessionManager").untyped();
    let req = methods::LoginRequest { user_name: "admin", password: "p<&>", locale: None };
    let body = String::from_utf8(request_body::<methods::Login>(&this, &req)).unwrap();
    assert!(body.contains(
        r#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>admin</userName><password>p&lt;&amp;&gt;</password></Login>"#
    ), "{body}");
}

#[test]
fn login_response_with_unknown_fields() {
    let body = envelope(
        r#"<LoginResponse xmlns="urn:vim25"><returnval><key>52a</key><userName>admin</userName><fullName>Admin</fullName>
        <loginTime>2026-11-28T04:07:52.123Z</loginTime><lastActiveTime>2026-11-28T04:07:52Z</lastActiveTime>
        <locale>en</locale><messageLocale>en</messageLocale><extensionSession>false</extensionSession>
        <ipAddress>127.0.0.1</ipAddress><userAgent>govmomi</userAgent><callCount>3</callCount>
        <newField6x>later API</newField6x></returnval></LoginResponse>"#,
    );
    let (r, report) = decode_response_with_report::<methods::Login>(&body, &DecodeOptions::default());
    let s = r.unwrap();
    assert_eq!(s.key, "52a");
    assert_eq!(s.login_time, DateTime("2026-11-28T04:07:52.123Z".into()));
    assert!(!s.extension_session);
    assert_eq!(s.call_count, 3);
    assert_eq!(report.unknown_elements, 1);
    assert!(report.missing.is_empty());
}

#[test]
fn missing_required_field_is_reported_or_refused() {
    let body = envelope(r#"<LoginResponse xmlns="urn:vim25"><returnval><key>k</key><userName>u</userName></returnval></LoginResponse>"#);
    let (r, report) = decode_response_with_report::<methods::Login>(&body, &DecodeOptions::default());
    assert_eq!(r.unwrap().user_name, "u");
    assert!(report.missing.iter().any(|m| m.to_string() == "UserSession.fullName"), "{report:?}");
    let strict = decode_response::<methods::Login>(&body, &DecodeOptions { strict: true });
    assert!(matches!(strict, Err(Error::Decode(e)) if e.message.contains("UserSession.fullName")));
}

#[test]
fn faults_are_typed_whatever_the_prefix() {
    // vCenter style: xsi prefix declared on the envelope.
    let body = envelope(
        r#"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login</faultstring>
        <detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>"#,
    );
    let r = decode_response::<methods::Login>(&body, &DecodeOptions::default());
    assert!(matches!(r, Err(Error::Fault(LoginFault::InvalidLogin(_)))), "{r:?}");
    // vcsim style: the namespace declared on the element under another prefix.
    let body = r#"<?xml version="1.0"?><Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><Fault><faultcode>ServerFaultCode</faultcode><faultstring>not authenticated</faultstring><detail><Fault xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="NotAuthenticated"><object type="SessionManager">SessionManager</object><privilegeId>System.View</privilegeId></Fault></detail></Fault></Body></Envelope>"#;
    let r = decode_response::<methods::Logout>(body.as_bytes(), &DecodeOptions::default());
    match r {
        Err(Error::Fault(LogoutFault::Other(AnyMethodFault::NotAuthenticated(f)))) => {
            assert_eq!(f.privilege_id, "System.View");
            assert_eq!(f.object.value, "SessionManager");
        }
        other => panic!("{other:?}"),
    }
    // A fault without detail keeps code and message.
    let body = envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring></soapenv:Fault>");
    let r = decode_response::<methods::Login>(&body, &DecodeOptions::default());
    assert!(matches!(r, Err(Error::ServerFault { ref message, .. }) if message == "Login failure"), "{r:?}");
}

#[test]
fn property_values_of_any_type() {
    let body = envelope(
        r#"<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="SessionManager">SessionManager</obj>
        <propSet><name>supportedLocaleList</name><val xsi:type="ArrayOfString"><string>en</string><string>de</string></val></propSet>
        <propSet><name>currentSession</name><val xsi:type="UserSession"><key>k</key><userName>u</userName><fullName>f</fullName><loginTime>t</loginTime><lastActiveTime>t</lastActiveTime><locale>en</locale><messageLocale>en</messageLocale></val></propSet>
        <propSet><name>message</name><val xsi:type="xsd:string">hi &amp; bye</val></propSet>
        <propSet><name>future</name><val xsi:type="SomethingNew"><a>1</a></val></propSet>
        </objects></returnval></RetrievePropertiesExResponse>"#,
    );
    let (r, report) = decode_response_with_report::<methods::RetrievePropertiesEx>(&body, &DecodeOptions::default());
    let result = r.unwrap().unwrap();
    let props = &result.objects[0].prop_set;
    assert_eq!(result.objects[0].obj.type_name, "SessionManager");
    assert!(
        matches!(&props[0].val, AnyValue::Array { item_type, items } if item_type == "string" && items == &[AnyValue::String("en".into()), AnyValue::String("de".into())])
    );
    assert!(matches!(&props[1].val, AnyValue::Data(AnyData::UserSession(s)) if s.user_name == "u"));
    assert_eq!(props[2].val, AnyValue::String("hi & bye".into()));
    assert!(matches!(&props[3].val, AnyValue::Unknown { type_name, xml } if type_name == "SomethingNew" && xml.contains("<a>1</a>")));
    assert_eq!(report.unknown_types, 1);

    // Encode the decoded values and decode again: equal.
    for p in &props[..3] {
        let mut w = Writer::new();
        w.buf.extend_from_slice(br#"<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#);
        p.encode(&mut w, "propSet");
        w.buf.extend_from_slice(b"</r>");
        let mut r = Reader::new(&w.buf).unwrap();
        let _root = r.root().unwrap();
        let e = r.child().unwrap().unwrap();
        let again = DynamicProperty::decode(&mut r, &e).unwrap();
        assert_eq!(&again, p);
    }
}

#[test]
fn polymorphic_fields_keep_the_concrete_class() {
    let spec = AnySessionManagerServiceRequestSpec::from(SessionManagerServiceRequestSpec::default());
    let http = AnySessionManagerServiceRequestSpec::SessionManagerHttpServiceRequestSpec(Box::new(SessionManagerHttpServiceRequestSpec {
        method: Some(SessionManagerHttpServiceRequestSpecMethod::HttpGet.as_str().to_string()),
        url: "https://host/folder".into(),
        ..Default::default()
    }));
    for v in [spec, http] {
        let mut w = Writer::new();
        w.buf.extend_from_slice(br#"<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#);
        v.encode(&mut w, "spec");
        w.buf.extend_from_slice(b"</r>");
        let mut r = Reader::new(&w.buf).unwrap();
        r.root().unwrap();
        let e = r.child().unwrap().unwrap();
        assert_eq!(AnySessionManagerServiceRequestSpec::decode(&mut r, &e).unwrap(), v);
    }
}

/// What a client reads from any server version it writes back unchanged: a reference inside
/// an `anyType` keeps its `type` attribute, and a value of a subclass the bindings do not
/// know (a newer server's) keeps the fields only it has.
#[test]
fn what_is_read_is_written_back() {
    let body = one_property(
        r#"<val type="Folder" xsi:type="ManagedObjectReference">group-d1</val></propSet>
        <propSet><name>q</name><val xsi:type="LocalizedMethodFault"><fault xsi:type="HostPcieHbaFault"><faultMessage><key>k</key><message>m</message></faultMessage><newField>7</newField></fault><localizedMessage>lm</localizedMessage></val>"#,
    );
    let (r, report) = decode_response_with_report::<methods::RetrievePropertiesEx>(&body, &DecodeOptions::default());
    let props = r.unwrap().unwrap().objects.remove(0).prop_set;
    assert_eq!(props[0].val, AnyValue::Reference(ManagedObjectReference { type_name: "Folder".into(), value: "group-d1".into() }));
    let AnyValue::Data(AnyData::LocalizedMethodFault(f)) = &props[1].val else { panic!("{:?}", props[1].val) };
    assert!(matches!(&*f.fault, AnyMethodFault::Unknown(u) if u.type_name == "HostPcieHbaFault"));
    assert_eq!(report.unknown_types, 1);
    for (p, want) in props.iter().zip([
        r#"<val xsi:type="ManagedObjectReference" type="Folder">group-d1</val>"#,
        r#"<fault xsi:type="HostPcieHbaFault"><faultMessage><key>k</key><message>m</message></faultMessage><newField>7</newField></fault>"#,
    ]) {
        let mut w = Writer::new();
        w.buf.extend_from_slice(br#"<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#);
        p.encode(&mut w, "propSet");
        w.buf.extend_from_slice(b"</r>");
        let written = String::from_utf8(w.buf.clone()).unwrap();
        assert!(written.contains(want), "{written}");
        let mut r = Reader::new(&w.buf).unwrap();
        r.root().unwrap();
        let e = r.child().unwrap().unwrap();
        assert_eq!(&DynamicProperty::decode(&mut r, &e).unwrap(), p);
    }
}

/// A RetrievePropertiesEx response with one property, `val` its value element.
fn one_property(val: &str) -> Vec<u8> {
    envelope(&format!(
        r#"<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="SessionManager">SessionManager</obj>
        <propSet><name>p</name>{val}</propSet></objects></returnval></RetrievePropertiesExResponse>"#
    ))
}

/// `xsi:type` is read unescaped (a character reference is legal XML, if odd) and must then
/// be a type name: an unknown class keeps its real name and is written back as it came, and
/// an array's item type, which becomes the name of its elements, is an XML name (both found
/// by the `client_response` fuzz target).
#[test]
fn xsi_type_is_unescaped_and_must_be_a_name() {
    let decode = |body: &[u8]| decode_response::<methods::RetrievePropertiesEx>(body, &DecodeOptions::default());
    let value = |body: &[u8]| decode(body).unwrap().unwrap().objects.remove(0).prop_set.remove(0);

    assert_eq!(value(&one_property(r#"<val xsi:type="xsd:&#115;tring">hi</val>"#)).val, AnyValue::String("hi".into()));
    let odd = value(&one_property(r#"<val xsi:type="Odd&#46;Cl&#97;ss"><a>1</a></val>"#));
    assert!(matches!(&odd.val, AnyValue::Unknown { type_name, .. } if type_name == "Odd.Class"), "{:?}", odd.val);
    // Written back with its name and its content as received; once more, the same bytes.
    let write = |p: &DynamicProperty| {
        let mut w = Writer::new();
        w.buf.extend_from_slice(br#"<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#);
        p.encode(&mut w, "propSet");
        w.buf.extend_from_slice(b"</r>");
        String::from_utf8(w.buf).unwrap()
    };
    let text = write(&odd);
    assert!(text.contains(r#"<val xsi:type="Odd.Class"><a>1</a></val>"#), "{text}");
    let mut r = Reader::new(text.as_bytes()).unwrap();
    r.root().unwrap();
    let e = r.child().unwrap().unwrap();
    assert_eq!(write(&DynamicProperty::decode(&mut r, &e).unwrap()), text);

    // Not an array of something with a name: an unknown class, kept and written back as such.
    // An array of a class with a lower-case name keeps that name (not capitalised as
    // `ArrayOfString` is).
    let lower = value(&one_property(r#"<val xsi:type="ArrayOfnewThing"><newThing><a>1</a></newThing></val>"#));
    assert!(matches!(&lower.val, AnyValue::Array { item_type, items } if item_type == "newThing" && items.len() == 1), "{:?}", lower.val);
    assert!(
        write(&lower).contains(r#"<val xsi:type="ArrayOfnewThing"><newThing xsi:type="newThing"><a>1</a></newThing></val>"#),
        "{}",
        write(&lower)
    );

    for odd in ["ArrayOf", "ArrayOf-x", "ArrayOf1"] {
        let p = value(&one_property(&format!(r#"<val xsi:type="{odd}"><a>1</a></val>"#)));
        assert!(matches!(&p.val, AnyValue::Unknown { type_name, .. } if type_name == odd), "{odd}: {:?}", p.val);
        assert!(write(&p).contains(&format!(r#"<val xsi:type="{odd}"><a>1</a></val>"#)));
    }

    for bad in [r#"A&lt;B"#, "ArrayOfUser Session", "xsd:", "1st", "a&#0;b"] {
        let r = decode(&one_property(&format!(r#"<val xsi:type="{bad}"></val>"#)));
        assert!(
            matches!(&r, Err(Error::Decode(e)) if e.message.contains("not a type name") || e.message.contains("entity") || e.message.contains("no character")),
            "{bad}: {r:?}"
        );
    }
}

/// A mismatched end tag is an error, also inside content that is skipped or kept unread.
#[test]
fn mismatched_end_tags_are_errors() {
    let decode = |val: &str| decode_response::<methods::RetrievePropertiesEx>(&one_property(val), &DecodeOptions::default());
    assert!(decode(r#"<val xsi:type="SomethingNew"><a>1</a></val>"#).is_ok());
    for bad in [r#"<val xsi:type="SomethingNew"><a>1</b></val>"#, r#"<val xsi:type="xsd:string">x</lav>"#] {
        let r = decode(bad);
        assert!(matches!(&r, Err(Error::Decode(_))), "{bad}: {r:?}");
    }
}
