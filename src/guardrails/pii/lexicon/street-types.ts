/**
 * Street-type words in the positions each language puts them. Sources: USPS Publication 28 appendix C1 (suffixes) and
 * Royal Mail's thoroughfare types for English; common thoroughfare words for Romance, Slavic, Germanic, Nordic,
 * Finnish, Baltic, Hungarian and Greek addressing. All lower-case, accent-free where the text may drop accents.
 */

/** After the name, English style: "221 Baker Street", "10 Lovers Lane". */
export const EN_STREET_SUFFIXES = (
  'street st str avenue ave av road rd lane ln drive dr boulevard blvd way court ct place pl square sq squares ' +
  'terrace ter circle cir parkway pkwy highway hwy freeway expressway turnpike trail trl loop row crescent cres ' +
  'close grove gardens gdns park walk mews alley aly path pike plaza plz point pt pass run ridge crossing xing ' +
  'heights hts hill hills view views vista junction jct meadow meadows estate estates green common causeway bypass ' +
  'branch bridge brook burg camp canyon cape center centre cliff cliffs club corner corners course cove creek crest ' +
  'curve dale dam divide extension falls ferry field fields flat flats ford forest forge fork forks fort gateway ' +
  'glen harbor harbour haven hollow inlet island isle key knoll lake lakes landing light lodge mall manor mill ' +
  'mills mission motorway mount mountain neck orchard oval pines plain plains port prairie ramp ranch rapids rest ' +
  'river route shoal shore shores skyway spring springs spur station stravenue stream summit throughway trace track ' +
  'tunnel underpass union unions valley viaduct village ville wall well wells wharf wynd quay embankment parade ' +
  'broadway circus approach rise bank'
).split(' ');

/** Before the name: "Rua Igreja 25", "Via dei Fiorentini 17", "ul. Miła 53", "C/ Señores Curas 88". */
export const LEADING_STREET_TYPES = (
  'rua avenida av avda calle c/ carrer cami camino paseo passeig plaza praca praça travessa largo alameda estrada ' +
  'rodovia via viale piazza piazzale corso vicolo strada rue avenue boulevard bd chemin allee allée impasse quai ' +
  'place route ruelle ul ulica ulice ulitsa aleja al al. calea bulevardul bulevard str odos οδός οδος λεωφόρος ' +
  'λεωφορος leoforos cesta trg prospekt sokak caddesi jalan jl'
).split(' ');

/** A separate word after the name: "Erzsébet tér 19", "Stensås terrasse 38", "Piroska u. 97". */
export const TRAILING_STREET_TYPES = (
  'ut út utca u ter tér korut körút sor köz koz rakpart rkp fasor setany sétány útja utja terrasse vei veien vej ' +
  'gata gatan gade allé alle plass plads torg straße strasse weg gasse platz allee laan straat plein tie katu kuja ' +
  'tee tänav tanav iela gatve prospekt ulitsa str'
).split(' ');

/**
 * Endings of one-word street names in Germanic, Nordic, Finnish, Dutch and Icelandic: "Koskikatu", "Søndergade",
 * "Kopfhölzistrasse", "Nybyvägen", "Brixtonlaan", "Þórunnarstræti". Matched on the folded word.
 */
export const COMPOUND_STREET_ENDING =
  /(?:strasse|straße|str|gasse|weg|platz|allee|ring|damm|ufer|steig|pfad|chaussee|gatan|vagen|vägen|grand|gränd|torget|stigen|backen|gata|vej|vejen|gade|vegen|veien|veg|vei|gate|stien|sti|straeti|stræti|braut|vegur|laan|straat|plein|gracht|kade|dreef|singel|katu|tie|kuja|polku|kaari|vayla|väylä|rinne|raitti|tori|katu|gatve|iela|tanav|tänav|utca|ulica)$/;

/** Apartment, suite and floor designators that continue an address line. */
export const UNIT_DESIGNATORS =
  'apt apartment suite ste unit flat floor fl room rm bldg building no nr piso étage etage dept depto lgh'.split(' ');
