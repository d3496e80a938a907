//! Metadata for harvesters: the DCAT catalogue (`data/catalog.jsonld`, W3C DCAT in JSON-LD)
//! that open-data portals read, and the schema.org `Dataset` on the data page that dataset
//! search engines read. Both say the same things — title, description, publisher (the city),
//! licence, spatial coverage (the city), temporal coverage (the plan period), the date of the
//! latest change in the content, and the download address of every file under `base_url`.
//!
//! The DCAT file carries its own `@context`, so that it parses without fetching anything; the
//! schema.org block uses the `https://schema.org/` context search engines expect.

use serde_json::{json, Value as Json};

use super::{period_dates, version, FileEntry, TableEntry, DIR};
use crate::model::Site;
use crate::url::Route;

/// The DCAT catalogue's file name inside `data/`.
pub(super) const FILE: &str = "catalog.jsonld";

const CONTEXT: &str = r#"{
  "dcat": "http://www.w3.org/ns/dcat#",
  "dct": "http://purl.org/dc/terms/",
  "foaf": "http://xmlns.com/foaf/0.1/",
  "vcard": "http://www.w3.org/2006/vcard/ns#",
  "skos": "http://www.w3.org/2004/02/skos/core#",
  "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
  "owl": "http://www.w3.org/2002/07/owl#",
  "xsd": "http://www.w3.org/2001/XMLSchema#"
}"#;

/// The address of a file inside `data/`, under the site's `base_url`.
fn data_url(site: &Site, file: &str) -> String {
    format!("{}{DIR}{file}", site.config.base_url)
}

/// The data page's address.
fn page_url(site: &Site) -> String {
    Route::data().absolute(&site.config.base_url)
}

fn ja(text: &str) -> Json {
    json!({ "@value": text, "@language": "ja" })
}

fn en(text: &str) -> Json {
    json!({ "@value": text, "@language": "en" })
}

fn iri(url: &str) -> Json {
    json!({ "@id": url })
}

fn typed(value: impl std::fmt::Display, datatype: &str) -> Json {
    json!({ "@value": value.to_string(), "@type": datatype })
}

/// The IANA media type of a file, as DCAT wants it (an IRI).
fn media_type(format: &str) -> &'static str {
    match format {
        "CSV" => "https://www.iana.org/assignments/media-types/text/csv",
        "JSON-LD" => "https://www.iana.org/assignments/media-types/application/ld+json",
        _ => "https://www.iana.org/assignments/media-types/application/json",
    }
}

/// The plain media type (`text/csv`), as schema.org's `encodingFormat` wants it.
fn mime(format: &str) -> &'static str {
    match format {
        "CSV" => "text/csv",
        "JSON-LD" => "application/ld+json",
        _ => "application/json",
    }
}

/// `data/catalog.jsonld`: a `dcat:Catalog` with one `dcat:Dataset` per table (its CSV and
/// JSON files the distributions, each conforming to the table's schema) and one for the Data
/// Package as a whole.
pub(super) fn dcat(site: &Site, tables: &[TableEntry], package: &FileEntry) -> Vec<u8> {
    let config = &site.config;
    let modified = typed(site.last_updated(), "xsd:date");
    let (start, end) = period_dates(site);
    let license = match &config.data_license.url {
        Some(url) => {
            json!({ "@id": url, "@type": "dct:LicenseDocument", "rdfs:label": ja(&config.data_license.name) })
        }
        None => {
            json!({ "@type": "dct:LicenseDocument", "rdfs:label": ja(&config.data_license.name) })
        }
    };
    let mut publisher = json!({
        "@id": "_:publisher",
        "@type": "foaf:Organization",
        "foaf:name": ja(&config.city),
    });
    let mut place = json!({
        "@id": "_:city",
        "@type": "dct:Location",
        "skos:prefLabel": ja(&config.city),
    });
    if let Some(code) = &config.city_code {
        publisher["dct:identifier"] = json!(code);
        place["dct:identifier"] = json!(code);
    }
    let contact = config.contact.as_ref().map(|c| {
        let mut v = json!({
            "@type": "vcard:Organization",
            "vcard:fn": config.contact_name(),
        });
        if let Some(email) = &c.email {
            v["vcard:hasEmail"] = iri(&format!("mailto:{email}"));
        }
        if let Some(phone) = &c.phone {
            v["vcard:hasTelephone"] = json!(phone);
        }
        if let Some(url) = &c.url {
            v["vcard:hasURL"] = iri(url);
        }
        v
    });
    let temporal = json!({
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": typed(start, "xsd:date"),
        "dcat:endDate": typed(end, "xsd:date"),
    });
    let page = page_url(site);
    let distribution = |file: &FileEntry, description: &str, conforms_to: &str| {
        let url = data_url(site, &file.file);
        json!({
            "@type": "dcat:Distribution",
            "dct:title": file.file,
            "dct:description": ja(description),
            "dcat:accessURL": iri(&url),
            "dcat:downloadURL": iri(&url),
            "dcat:mediaType": iri(media_type(file.format)),
            "dct:format": file.format,
            "dcat:byteSize": typed(file.bytes, "xsd:nonNegativeInteger"),
            "dct:license": license.clone(),
            "dct:modified": modified.clone(),
            "dct:conformsTo": iri(conforms_to),
        })
    };
    // `english`: the dataset's English name, as `dct:alternative` (the title stays one
    // Japanese value: DCAT profiles and the catalogue check expect one `dct:title`).
    let dataset = |id: String,
                   identifier: &str,
                   title: String,
                   english: Option<&str>,
                   description: &str,
                   distributions: Vec<Json>| {
        let mut d = json!({
            "@id": id,
            "@type": "dcat:Dataset",
            "dct:identifier": identifier,
            "dct:title": ja(&title),
            "dct:description": ja(description),
            "dct:publisher": { "@id": "_:publisher" },
            "dct:license": license.clone(),
            "dct:spatial": { "@id": "_:city" },
            "dct:temporal": temporal.clone(),
            "dct:modified": modified.clone(),
            "dct:language": iri("http://id.loc.gov/vocabulary/iso639-1/ja"),
            "dcat:keyword": [ja(&site.plan.title), ja(&config.city)],
            "dcat:landingPage": iri(&format!("{page}#{}", identifier_anchor(identifier))),
            "dcat:distribution": distributions,
        });
        if let Some(c) = &contact {
            d["dcat:contactPoint"] = c.clone();
        }
        if let Some(english) = english {
            d["dct:alternative"] = en(english);
        }
        d
    };
    let mut datasets: Vec<Json> = tables
        .iter()
        .map(|t| {
            let schema = data_url(site, &t.schema);
            let distributions = t
                .files
                .iter()
                .map(|f| {
                    let what = if f.format == "CSV" {
                        "CSV（UTF-8、BOM付き、CRLF）"
                    } else {
                        "JSON（配列の配列。先頭の配列が列名）"
                    };
                    distribution(f, what, &schema)
                })
                .collect();
            dataset(
                format!("{page}#table-{}", t.name),
                t.name,
                format!("{}（{}）", t.title, site.plan.title),
                super::english::title(t.title),
                t.description,
                distributions,
            )
        })
        .collect();
    datasets.push(dataset(
        format!("{page}#package"),
        "datapackage",
        format!("{}のオープンデータ（Data Package）", site.plan.title),
        Some("Open data (Data Package)"),
        "すべての表の CSV・JSON と、その列・型・キーを記述した Frictionless Data Package",
        vec![distribution(
            package,
            "Data Package（datapackage.json）",
            "https://specs.frictionlessdata.io/tabular-data-package/",
        )],
    ));
    let catalog = json!({
        "@context": serde_json::from_str::<Json>(CONTEXT).expect("context is JSON"),
        "@graph": [
            {
                "@id": data_url(site, FILE),
                "@type": "dcat:Catalog",
                "dct:title": ja(&format!("{}のオープンデータ", site.plan.title)),
                "dct:description": ja(&description(site)),
                "dct:publisher": { "@id": "_:publisher" },
                "dct:license": license.clone(),
                "dct:spatial": { "@id": "_:city" },
                "dct:temporal": temporal.clone(),
                "dct:modified": modified.clone(),
                "owl:versionInfo": version(site),
                "dct:language": iri("http://id.loc.gov/vocabulary/iso639-1/ja"),
                "foaf:homepage": iri(&config.base_url),
                "dcat:landingPage": iri(&page),
                "dcat:dataset": datasets,
            },
            publisher,
            place,
        ],
    });
    super::pretty(&catalog)
}

/// The fragment of the data page that describes a dataset.
fn identifier_anchor(identifier: &str) -> String {
    if identifier == "datapackage" {
        "files".to_string()
    } else {
        format!("table-{identifier}")
    }
}

/// What the open data is, in one sentence, naming only what the plan has.
fn description(site: &Site) -> String {
    format!(
        "{}の{}を、CSV と JSON で公開しています。列の説明は Data Package（datapackage.json）にあります。",
        super::plan_of_city(site),
        super::contents(site, true)
    )
}

/// The schema.org `Dataset` of the data page, serialised for a `<script type="application/
/// ld+json">` element: every `<` is written `\u003c`, so that no text of the content can end
/// the element.
pub(super) fn schema_org(
    site: &Site,
    tables: &[TableEntry],
    package: &FileEntry,
    dcat: &FileEntry,
) -> String {
    let config = &site.config;
    let (start, end) = period_dates(site);
    let mut publisher = json!({ "@type": "GovernmentOrganization", "name": config.city });
    let mut place = json!({ "@type": "Place", "name": config.city });
    if let Some(code) = &config.city_code {
        let id = json!({
            "@type": "PropertyValue",
            "propertyID": "全国地方公共団体コード",
            "value": code,
        });
        publisher["identifier"] = id.clone();
        place["identifier"] = id;
    }
    if let Some(url) = config.contact.as_ref().and_then(|c| c.url.as_ref()) {
        publisher["url"] = json!(url);
    }
    let download = |f: &FileEntry, name: String| {
        json!({
            "@type": "DataDownload",
            "name": name,
            "contentUrl": data_url(site, &f.file),
            "encodingFormat": mime(f.format),
            "contentSize": f.bytes.to_string(),
        })
    };
    let mut distribution: Vec<Json> = tables
        .iter()
        .flat_map(|t| {
            t.files
                .iter()
                .map(move |f| (f, format!("{}（{}）", t.title, f.format)))
        })
        .map(|(f, name)| download(f, name))
        .collect();
    distribution.push(download(package, "Data Package（列の説明）".into()));
    distribution.push(download(dcat, "DCAT カタログ".into()));
    let page = page_url(site);
    let license = config
        .data_license
        .url
        .clone()
        .unwrap_or_else(|| config.data_license.name.clone());
    let dataset = json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": format!("{page}#dataset"),
        "name": format!("{}のオープンデータ", site.plan.title),
        "description": description(site),
        "url": page,
        "version": version(site),
        "dateModified": site.last_updated().to_string(),
        "inLanguage": "ja",
        "isAccessibleForFree": true,
        "license": license,
        "creator": publisher.clone(),
        "publisher": publisher,
        "spatialCoverage": place,
        "temporalCoverage": format!("{start}/{end}"),
        "keywords": super::keywords(site),
        "distribution": distribution,
    });
    serde_json::to_string_pretty(&dataset)
        .expect("JSON to memory")
        .replace('<', "\\u003c")
}
