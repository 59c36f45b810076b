using Likeness.Shared.Data;

namespace Likeness.Shared.Seeding;

/// <summary>Plausible first and last names by region, and how descriptions name countries.</summary>
internal static class DemoNames
{
    public sealed record Region(string[] Female, string[] Male, string[] Last);

    public static readonly Region Anglo = new(
        ["Emma", "Olivia", "Ava", "Sophia", "Mia", "Charlotte", "Amelia", "Harper", "Evelyn", "Abigail", "Emily", "Ella", "Grace", "Chloe", "Zoe", "Lily", "Hannah", "Madison", "Aria", "Scarlett", "Nora", "Riley", "Layla", "Brooke"],
        ["Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry", "Alexander", "Jack", "Daniel", "Michael", "Ethan", "Jacob", "Logan", "Jackson", "Samuel", "Owen", "Ryan", "Tyler", "Connor", "Marcus", "Caleb"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Carter", "Mitchell", "Turner", "Parker", "Evans", "Collins", "Murphy", "Kelly", "Bennett", "Hughes", "Price", "Reed"]);

    public static readonly Region Latin = new(
        ["Sofia", "Valentina", "Camila", "Lucia", "Isabella", "Mariana", "Daniela", "Gabriela", "Elena", "Paula", "Ximena", "Renata", "Carmen", "Alejandra"],
        ["Mateo", "Santiago", "Sebastian", "Diego", "Alejandro", "Nicolas", "Daniel", "Javier", "Carlos", "Miguel", "Andres", "Emiliano", "Pablo", "Luis"],
        ["Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Morales", "Ortiz", "Castro", "Romero", "Vargas", "Ruiz"]);

    public static readonly Region Brazilian = new(
        ["Ana", "Beatriz", "Julia", "Larissa", "Fernanda", "Camila", "Leticia", "Gabriela", "Mariana", "Isadora"],
        ["Joao", "Pedro", "Lucas", "Gabriel", "Rafael", "Thiago", "Bruno", "Felipe", "Mateus", "Gustavo"],
        ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida", "Ferreira", "Carvalho", "Rocha", "Ribeiro"]);

    public static readonly Region French = new(
        ["Camille", "Lea", "Chloe", "Manon", "Ines", "Jade", "Louise", "Clara", "Margaux", "Juliette"],
        ["Louis", "Hugo", "Arthur", "Jules", "Theo", "Nathan", "Gabriel", "Raphael", "Adrien", "Maxime"],
        ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Laurent", "Girard"]);

    public static readonly Region European = new(
        ["Mia", "Hanna", "Lena", "Anna", "Emma", "Julia", "Zofia", "Maja", "Saga", "Lotte", "Freya", "Ida", "Sanne", "Greta"],
        ["Lukas", "Finn", "Jonas", "Leon", "Elias", "Jakub", "Lars", "Daan", "Felix", "Max", "Erik", "Sven", "Bram", "Tomasz"],
        ["Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "de Jong", "Jansen", "Nowak", "Kowalski", "Andersson", "Johansson", "Becker", "Hoffmann", "Visser", "Lindqvist", "Wisniewski"]);

    public static readonly Region Italian = new(
        ["Giulia", "Aurora", "Alice", "Ginevra", "Beatrice", "Chiara", "Martina", "Francesca"],
        ["Leonardo", "Francesco", "Alessandro", "Lorenzo", "Matteo", "Marco", "Luca", "Giovanni"],
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Conti"]);

    public static readonly Region SouthAsian = new(
        ["Aanya", "Diya", "Isha", "Priya", "Ananya", "Kavya", "Meera", "Riya", "Nisha", "Tara", "Sanya", "Pooja"],
        ["Arjun", "Aarav", "Vihaan", "Rohan", "Kabir", "Aditya", "Rahul", "Vikram", "Dev", "Karan", "Nikhil", "Sameer"],
        ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Kapoor", "Das", "Rao", "Chopra", "Malhotra"]);

    public static readonly Region Japanese = new(
        ["Yui", "Aoi", "Hina", "Sakura", "Yuna", "Mio", "Rin", "Haruka"],
        ["Haruto", "Sota", "Yuto", "Ren", "Kaito", "Riku", "Daiki", "Kenta"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"]);

    public static readonly Region Korean = new(
        ["Jiwoo", "Seoyeon", "Minji", "Hayoon", "Soyeon", "Yuna", "Jisoo", "Dahyun"],
        ["Minjun", "Seojun", "Dohyun", "Jiho", "Hyunwoo", "Jaemin", "Taeyang", "Junho"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"]);

    public static readonly Region Chinese = new(
        ["Mei", "Xin", "Yan", "Ling", "Jing", "Hui", "Xiu", "Fang"],
        ["Wei", "Hao", "Jun", "Lei", "Ming", "Chen", "Tao", "Jian"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"]);

    public static readonly Region Filipino = new(
        ["Maria", "Angel", "Andrea", "Nicole", "Kristine", "Bea", "Janelle", "Camille"],
        ["Jose", "John", "Mark", "Carlo", "Paolo", "Miguel", "Rafael", "Joshua"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Ramos", "Aquino", "Villanueva", "Dela Cruz"]);

    public static readonly Region WestAfrican = new(
        ["Chiamaka", "Adaeze", "Folake", "Ngozi", "Amara", "Zainab", "Temi", "Ifeoma", "Kemi", "Nneka"],
        ["Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ibrahim", "Kelechi", "Segun", "Obinna", "Femi", "Uche"],
        ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Abubakar", "Nwosu", "Adebayo", "Okoro", "Bello"]);

    public static readonly Region SouthernAfrican = new(
        ["Thandiwe", "Naledi", "Lerato", "Zanele", "Ayanda", "Palesa", "Nomvula", "Kea"],
        ["Sipho", "Thabo", "Kagiso", "Lwazi", "Mandla", "Tumelo", "Bongani", "Jabu"],
        ["Nkosi", "Dlamini", "Ndlovu", "Khumalo", "Mokoena", "Botha", "van der Merwe", "Naidoo", "Mahlangu", "Zulu"]);

    public static readonly Region Arabic = new(
        ["Fatima", "Layla", "Noor", "Mariam", "Aisha", "Yasmin", "Hala", "Salma"],
        ["Omar", "Khalid", "Yousef", "Ahmed", "Hamad", "Karim", "Tariq", "Zayed"],
        ["Al Mansouri", "Haddad", "Khalil", "Nasser", "Saleh", "Al Hashimi", "Farouk", "Aziz"]);

    public static readonly Region Hebrew = new(
        ["Noa", "Tamar", "Maya", "Yael", "Shira", "Talia", "Adi", "Roni"],
        ["Ariel", "Noam", "Itai", "Eitan", "Yonatan", "Omer", "Amit", "Daniel"],
        ["Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Katz", "Shapiro"]);

    /// <summary>Where a name comes from: the person's background first, their country otherwise.</summary>
    public static Region For(Country country, Ethnicity ethnicity) => ethnicity switch
    {
        Ethnicity.Hispanic => country == Country.Brazil ? Brazilian : Latin,
        Ethnicity.SouthAsian => SouthAsian,
        Ethnicity.Asian => country switch
        {
            Country.Japan => Japanese,
            Country.SouthKorea => Korean,
            Country.Philippines => Filipino,
            _ => Chinese,
        },
        Ethnicity.African => country == Country.SouthAfrica ? SouthernAfrican : WestAfrican,
        Ethnicity.MiddleEastern => country == Country.Israel ? Hebrew : Arabic,
        _ => ByCountry(country),
    };

    private static Region ByCountry(Country country) => country switch
    {
        Country.Brazil => Brazilian,
        Country.Mexico or Country.Argentina or Country.Colombia or Country.Spain => Latin,
        Country.France => French,
        Country.Germany or Country.Netherlands or Country.Sweden or Country.Poland => European,
        Country.Italy => Italian,
        Country.India => SouthAsian,
        Country.Japan => Japanese,
        Country.SouthKorea => Korean,
        Country.China => Chinese,
        Country.Philippines => Filipino,
        Country.Nigeria => WestAfrican,
        Country.SouthAfrica => SouthernAfrican,
        Country.Uae => Arabic,
        Country.Israel => Hebrew,
        _ => Anglo,
    };

    public static string CountryName(Country country) => country switch
    {
        Country.Usa => "the United States",
        Country.Uk => "the United Kingdom",
        Country.SouthKorea => "South Korea",
        Country.SouthAfrica => "South Africa",
        Country.Uae => "the UAE",
        Country.Netherlands => "the Netherlands",
        Country.Philippines => "the Philippines",
        Country.Other => "abroad",
        _ => country.ToString(),
    };
}
